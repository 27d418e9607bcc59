"""Kernels forked by helpers.forkserver behave like plain kernels, and never outlive their use."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from helpers.report import forkserver
from helpers.report.build import FORKED_KERNEL, KernelForkServer

pytestmark = pytest.mark.skipif(not forkserver.available(), reason="kernels fork on Linux only")


@pytest.fixture(scope="module")
def server():
    started = KernelForkServer.start()
    assert started is not None
    yield started
    started.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def _wait_gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


class Kernel:
    """A kernel started the way the build starts one, with a client to talk to it."""

    def __init__(self, spec_dir: Path | None, cwd: Path, env: dict[str, str] | None = None):
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager

        if spec_dir is None:
            self.km = KernelManager(kernel_name="python3")
        else:
            specs = KernelSpecManager(kernel_dirs=[str(spec_dir)])
            self.km = KernelManager(kernel_name=FORKED_KERNEL, kernel_spec_manager=specs)
        self.km.start_kernel(cwd=str(cwd), env=env if env is not None else dict(os.environ))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, code: str, timeout: float = 120) -> tuple[dict, list[dict]]:
        outputs: list[dict] = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        return reply["content"], outputs

    def value(self, expression: str):
        content, outputs = self.run(f"import json as _j; print(_j.dumps({expression}))")
        assert content["status"] == "ok", content
        text = "".join(o["content"].get("text", "") for o in outputs if o["msg_type"] == "stream")
        return json.loads(text.strip().splitlines()[-1])

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture
def kernel(server, tmp_path):
    k = Kernel(server.spec_dir, tmp_path, env=dict(os.environ, KIT_OUTPUT_DIR=str(tmp_path)))
    yield k
    k.close()


def test_kernel_is_forked_clean_and_preloaded(server, kernel, tmp_path):
    facts = kernel.value(
        "{'pid': __import__('os').getpid(), 'ppid': __import__('os').getppid(),"
        " 'cwd': __import__('os').getcwd(), 'path0': __import__('sys').path[0],"
        " 'pandas': 'pandas' in __import__('sys').modules,"
        " 'helpers': any(m.split('.')[0] == 'helpers' for m in __import__('sys').modules),"
        " 'output': __import__('os').environ.get('KIT_OUTPUT_DIR'),"
        " 'names': sorted(n for n in globals() if not n.startswith('_'))}"
    )
    assert facts["ppid"] == server.process.pid, "the kernel was not forked by the server"
    assert facts["pid"] != kernel.km.provisioner.pid  # the launcher stands in for it
    assert facts["pandas"], "the server's imports did not carry over"
    assert not facts["helpers"], "the kit's own modules must be imported fresh by each kernel"
    assert facts["cwd"] == str(tmp_path) == facts["path0"]
    assert facts["output"] == str(tmp_path)
    # Only IPython's own names (In, Out, exit, ...) and the test's import: no preload leftovers.
    assert not {"name", "forkserver", "request", "numpy", "pandas"} & set(facts["names"])


def test_forked_kernel_shows_pyplot_figures_inline(kernel):
    content, outputs = kernel.run(
        "import matplotlib, matplotlib.pyplot as plt\n"
        "print(matplotlib.get_backend())\n"
        "plt.plot([1, 2], [3, 4])"
    )
    assert content["status"] == "ok", content
    printed = "".join(o["content"].get("text", "") for o in outputs if o["msg_type"] == "stream")
    assert "inline" in printed
    assert any(
        "image/png" in o["content"].get("data", {})
        for o in outputs
        if o["msg_type"] == "display_data"
    ), "pyplot figure not displayed inline"


def test_each_kernel_gets_its_own_random_state(server, tmp_path):
    draws = []
    for _ in range(2):
        k = Kernel(server.spec_dir, tmp_path)
        try:
            draws.append(k.value("__import__('numpy').random.random(3).tolist()"))
        finally:
            k.close()
    assert draws[0] != draws[1]


def test_interrupt_reaches_the_forked_kernel(kernel):
    kernel.kc.execute("import time; time.sleep(60)")
    time.sleep(1.0)
    kernel.km.interrupt_kernel()
    reply = kernel.kc.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"


def test_kernel_ends_when_its_launcher_is_killed(server, tmp_path):
    k = Kernel(server.spec_dir, tmp_path)
    pid = k.value("__import__('os').getpid()")
    k.kc.stop_channels()
    os.kill(k.km.provisioner.pid, signal.SIGKILL)  # what shutdown_kernel(now=True) does
    assert _wait_gone(pid), f"kernel {pid} outlived its launcher"
    k.km.cleanup_resources()


def test_different_environment_falls_back_to_a_plain_kernel(server, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path[1:3]]))
    k = Kernel(server.spec_dir, tmp_path, env=env)
    try:
        facts = k.value(
            "{'pid': __import__('os').getpid(), 'pandas': 'pandas' in __import__('sys').modules}"
        )
        # The launcher replaced itself with `python -m ipykernel_launcher`: same process.
        assert facts["pid"] == k.km.provisioner.pid
        assert not facts["pandas"]
    finally:
        k.close()


def test_unreachable_server_falls_back_to_a_plain_kernel(tmp_path):
    forkserver.write_kernel_spec(str(tmp_path / "kernels"), FORKED_KERNEL, str(tmp_path / "none"))
    k = Kernel(tmp_path / "kernels", tmp_path)
    try:
        assert k.value("1 + 1") == 2
    finally:
        k.close()


def test_stopping_the_server_leaves_no_process_or_socket():
    started = KernelForkServer.start()
    k = Kernel(started.spec_dir, started.folder)
    pid = k.value("__import__('os').getpid()")
    k.close()
    started.stop()
    assert started.process.returncode == 0
    assert not started.folder.exists()
    assert _wait_gone(pid, 5)


def test_build_process_runs_no_thread_when_it_forks_its_workers(tmp_path):
    # The build forks its workers after starting the server and importing nbconvert;
    # forking a process with threads can deadlock the child on a lock held by one.
    import subprocess

    code = (
        "import threading\nfrom helpers.report import build\n"
        "server = build.KernelForkServer.start()\nbuild._prepare_execution()\n"
        "print(threading.active_count())\nserver.stop()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_a_malformed_request_is_refused_and_the_server_keeps_serving(server, tmp_path):
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(30)
        conn.connect(str(server.folder / "s"))
        conn.sendall(b"\0\0\0\x05{oops")  # no descriptors, and not JSON
        answer = conn.makefile("rb").readline().decode()
    assert answer.startswith("refused"), answer
    k = Kernel(server.spec_dir, tmp_path)
    try:
        assert k.value("__import__('os').getppid()") == server.process.pid
    finally:
        k.close()
