"""Start Jupyter kernels by forking one process that has already imported the kit's libraries.

Every notebook in a report build runs in a fresh kernel. A plain kernel spends
about 2 s of CPU before the notebook's first line does anything useful: starting
Python and ipykernel, then importing pandas, pandera, geopandas, matplotlib and
folium. On a 2-core machine, four notebooks pay that four times. A *fork server*
pays it once: it imports those libraries, then forks a copy of itself for each
kernel. Each kernel is still a separate process with an empty namespace and its
own state from the moment it starts; only ``sys.modules`` is already filled, as it
would be after the notebook's own imports.

How the pieces fit (Linux only; anything else falls back to plain kernels):

* :func:`serve` (``python forkserver.py serve SOCKET``) listens on a Unix socket,
  imports :data:`PRELOAD`, then forks one child per request. The child becomes
  the kernel: it takes over the requester's stdin/stdout/stderr, working folder,
  environment and arguments, and runs ``ipykernel`` exactly as
  ``python -m ipykernel_launcher`` would.
* :func:`launch` (``python -S forkserver.py launch SOCKET -f CONNECTION_FILE``) is
  the command in the kernel spec that Jupyter starts. It asks the server for a
  kernel, then stands in for it: it forwards signals (interrupt, terminate) to the
  kernel and exits when the kernel exits, so Jupyter's process handling works
  unchanged. If the launcher dies, even by SIGKILL, the kernel notices the closed
  socket and exits too.
* If the server cannot be reached, or refuses because the requester's environment
  differs from its own in a way that matters at import time (``PYTHONPATH``,
  ``MPLBACKEND``, ...), the launcher replaces itself with a plain kernel. A build
  is never worse than without the server.

This module uses only the standard library: the launcher runs with ``python -S``.
The socket lives in a folder only the build's user can open (``mkdtemp``).

Examples
--------
>>> relevant_env({"PYTHONPATH": "src", "JPY_PARENT_PID": "1", "KIT_OUTPUT_DIR": "/r"})
{'PYTHONPATH': 'src'}
>>> decode_request(encode_request({"argv": ["-f", "k.json"]}))
{'argv': ['-f', 'k.json']}
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import time

#: What the server imports before forking: ipykernel, then the libraries the
#: kit's helpers and notebooks use. Third-party only: the kit's own ``helpers``
#: stay unimported, so they are read fresh by each kernel.
PRELOAD = (
    "ipykernel.kernelapp",
    "numpy",
    "pandas",
    "pyarrow",
    "pandera.pandas",
    "matplotlib",
    # Not matplotlib_inline.backend_inline: imported, it hooks into the running
    # IPython shell, which exists only in the kernel. pyplot loads it when first used.
    "matplotlib.pyplot",
    "shapely",
    "pyproj",
    "geopandas",
    "folium",
    "branca",
    "jinja2",
)

#: ipykernel's own default backend (see ``IPKernelApp.init_kernel``); matplotlib
#: reads ``MPLBACKEND`` when it is imported, so the server sets it first.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

#: Environment variables that Python or a preloaded library reads when it starts
#: or is imported (search paths, hash seed, locale, thread pools, config folders).
#: If a kernel's value differs from the server's, the kernel starts plain; other
#: variables (Jupyter's JPY_*, the build's KIT_*, a terminal's COLUMNS) are read
#: when used, so the kernel simply gets its own values.
IMPORT_TIME_ENV = (
    "PYTHON",
    "MPL",
    "PROJ",
    "GDAL",
    "GEOS",
    "OMP_",
    "OPENBLAS",
    "MKL_",
    "NUMEXPR",
    "ARROW",
    "PANDAS",
    "JUPYTER",
    "IPYTHON",
    "XDG_",
    "LC_",
    "HOME",
    "LANG",
    "TZ",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
)

_HEADER = struct.Struct("!I")
_INHERITED_FDS = 3  # stdin, stdout, stderr


def relevant_env(env: dict[str, str]) -> dict[str, str]:
    """The part of ``env`` that must match the server's for a forked kernel."""
    return {k: v for k, v in env.items() if k.startswith(IMPORT_TIME_ENV)}


def encode_request(request: dict) -> bytes:
    """Length-prefixed JSON, the one message a launcher sends."""
    body = json.dumps(request).encode()
    return _HEADER.pack(len(body)) + body


def decode_request(data: bytes) -> dict:
    (size,) = _HEADER.unpack_from(data)
    body = data[_HEADER.size : _HEADER.size + size]
    if len(body) != size:
        raise ValueError(f"truncated request: {len(body)} of {size} bytes")
    return json.loads(body)


# ----------------------------------------------------------------------- server


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, _INHERITED_FDS)
    while len(data) < _HEADER.size or len(data) < _HEADER.size + _HEADER.unpack_from(data)[0]:
        more = conn.recv(1 << 16)
        if not more:
            raise ValueError("connection closed mid-request")
        data += more
    return decode_request(data), list(fds)


def _preload(log) -> None:
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception as exc:  # noqa: BLE001 (a missing library just isn't preloaded)
            print(f"forkserver: not preloading {name}: {type(exc).__name__}: {exc}", file=log)


def serve(path: str) -> dict | None:
    """Serve kernel requests on the Unix socket ``path`` until stdin closes.

    Returns ``None`` in the server when it is done, and the request in each forked
    child, which then becomes the kernel (see :func:`main`).
    """
    # Ctrl-C goes to the whole process group: the build decides what stops, and it
    # stops this server by closing its stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Reap kernels as they exit: waiting (not ignoring SIGCHLD) also adds their CPU
    # time to this process's children, so `time make report` counts it.
    signal.signal(signal.SIGCHLD, lambda *_: _reap())
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)  # launchers queue here while the libraries import
    # Compared before _preload sets MPLBACKEND, as Jupyter's environment has it.
    env = relevant_env(dict(os.environ))
    _preload(sys.stderr)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is sys.stdin:
                if os.read(sys.stdin.fileno(), 1 << 10):
                    continue
                # The build has finished (or died): no more kernels.
                selector.close()
                listener.close()
                with contextlib.suppress(OSError):
                    os.unlink(path)
                _wait_for_kernels()
                return None
            conn, _ = listener.accept()
            request = _answer(conn, env)
            if request is not None:  # this is the forked child
                selector.close()
                listener.close()
                return request


_KERNELS: set[int] = set()  # pids of the kernels this server forked and has not reaped


def _reap() -> None:
    for pid in list(_KERNELS):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0]:
                _KERNELS.discard(pid)


def _wait_for_kernels(seconds: float = 5.0) -> None:
    # Kernels end moments after their launchers; any still running after that has
    # lost its launcher's watch (it cannot happen, but never leave one behind).
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    deadline = time.monotonic() + seconds
    while _KERNELS and time.monotonic() < deadline:
        _reap()
        time.sleep(0.05)
    for pid in list(_KERNELS):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _answer(conn: socket.socket, env: dict[str, str]) -> dict | None:
    fds: list[int] = []
    child = False
    try:
        conn.settimeout(10)  # a client that connects and says nothing must not stall us
        request, fds = _receive(conn)
        conn.settimeout(None)
        wanted = relevant_env(request["env"])
        differs = sorted(k for k in set(env) | set(wanted) if env.get(k) != wanted.get(k))
        if differs or len(fds) != _INHERITED_FDS:
            why = f"environment differs: {', '.join(differs[:5])}" if differs else "no stdio"
            conn.sendall(f"refused {why}\n".encode())
            return None
        pid = os.fork()
        if pid == 0:
            child = True
            request["conn"], request["fds"] = conn, fds
            return request
        _KERNELS.add(pid)
        conn.sendall(f"{pid}\n".encode())
        return None
    except (OSError, ValueError, KeyError) as exc:  # socket.timeout is an OSError
        with contextlib.suppress(OSError):
            conn.sendall(f"refused {type(exc).__name__}: {exc}\n".encode())
        return None
    finally:
        if not child:  # the child keeps them: they become the kernel's
            conn.close()
            for fd in fds:
                os.close(fd)


def _exit_with_launcher(conn: socket.socket) -> None:
    # The launcher sends nothing after its request: a read returns only when it
    # has gone, however it went (SIGKILL from Jupyter included). A kernel whose
    # launcher is gone has no one to answer to.
    try:
        conn.recv(1)
    finally:
        os.kill(os.getpid(), signal.SIGKILL)


def become_kernel(request: dict) -> None:
    """In the forked child: take the launcher's place and run ipykernel."""
    os.setsid()  # like Jupyter's own kernels: out of the terminal's Ctrl-C group
    _KERNELS.clear()  # the server's, not this kernel's children
    for signum in (signal.SIGCHLD, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(request["fds"]):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # `python -m ipykernel_launcher` puts the working folder first on sys.path.
    sys.path.insert(0, request["cwd"])
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    if os.environ.get("JPY_PARENT_PID"):
        # IPKernelApp reads JPY_PARENT_PID into a default when it is imported, here
        # in the server, before Jupyter set it: give the kernel its own value.
        sys.argv.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        # Python reseeds `random` in a forked child; numpy's global generator
        # would otherwise give every kernel the server's sequence.
        numpy.random.seed()
    threading.Thread(
        target=_exit_with_launcher,
        args=(request["conn"],),
        daemon=True,
        name="forkserver-launcher-watch",
    ).start()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


# --------------------------------------------------------------------- launcher


def _plain_kernel(argv: list[str], why: str) -> None:
    print(f"forkserver: starting a plain kernel ({why})", file=sys.stderr, flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


def launch(path: str, argv: list[str]) -> int:
    """Ask the server at ``path`` for a kernel and stand in for it until it exits."""
    try:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(path)
        request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
        socket.send_fds(conn, [encode_request(request)], list(range(_INHERITED_FDS)))
        answer = conn.makefile("rb").readline().decode().strip()
    except OSError as exc:
        _plain_kernel(argv, f"no fork server: {exc}")
    if not answer.isdigit():
        _plain_kernel(argv, answer or "the fork server closed the connection")
    pid = int(answer)
    forwarded = {"signal": 0}

    def forward(signum, _frame):
        forwarded["signal"] = signum
        with contextlib.suppress(OSError):
            os.kill(pid, signum)

    for signum in (
        signal.SIGINT,
        signal.SIGTERM,
        signal.SIGHUP,
        signal.SIGQUIT,
        signal.SIGUSR1,
        signal.SIGUSR2,
    ):
        signal.signal(signum, forward)
    try:
        kernel = os.pidfd_open(pid)
    except ProcessLookupError:
        return 0  # it has already exited
    with selectors.DefaultSelector() as selector:
        selector.register(kernel, selectors.EVENT_READ)
        jupyter = _jupyter_parent()
        if jupyter is not None:
            selector.register(jupyter, selectors.EVENT_READ)
        while True:
            ready = {key.fileobj for key, _ in selector.select()}
            if kernel in ready:
                break
            if jupyter in ready:
                # As a plain kernel does (ipykernel's parent poller): the process
                # that started it is gone, so nobody will ever shut it down.
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                return 1
    conn.close()
    return 128 + forwarded["signal"] if forwarded["signal"] else 0


def _jupyter_parent() -> int | None:
    """A pidfd of the Jupyter process that started this launcher, if it says so."""
    parent = os.environ.get("JPY_PARENT_PID", "")
    if not parent.isdigit() or int(parent) != os.getppid() or int(parent) == 1:
        return None
    try:
        return os.pidfd_open(int(parent))
    except OSError:
        return None


def write_kernel_spec(kernels_dir: str, name: str, socket_path: str) -> str:
    """Write the Jupyter kernel spec ``kernels_dir/name`` whose kernels ask ``socket_path``.

    Returns the spec's folder. Start kernels with
    ``KernelManager(kernel_name=name,
    kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels_dir]))``.
    """
    spec = os.path.join(kernels_dir, name)
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w", encoding="utf-8") as fh:
        json.dump(
            {
                # -S: the launcher only talks to the server (stdlib); it starts in ms.
                "argv": [
                    sys.executable,
                    "-S",
                    os.path.abspath(__file__),
                    "launch",
                    socket_path,
                    "-f",
                    "{connection_file}",
                ],
                "display_name": f"Python 3 (ipykernel, forked: {name})",
                "language": "python",
                "metadata": {"debugger": True},
            },
            fh,
        )
    return spec


def available() -> bool:
    """Whether kernels can be forked here (Linux: fork, pidfd, passing descriptors)."""
    return sys.platform == "linux" and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")


def main(argv: list[str]) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        # Run as a script, Python put this folder first: the kit's module names
        # (paths, schema, build...) must not shadow any library's imports.
        del sys.path[0]
    if len(argv) >= 2 and argv[0] == "serve":
        request = serve(argv[1])
        if request is None:
            return 0
        become_kernel(request)
        return 0
    if len(argv) >= 2 and argv[0] == "launch":
        return launch(argv[1], argv[2:])
    print("usage: forkserver.py serve SOCKET | launch SOCKET KERNEL-ARGS...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
