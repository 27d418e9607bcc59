"""What the build hands a notebook's run, and what the run hands back.

Apart from :mod:`.execute` so that a build with nothing to run (most builds) can
plan and record without importing asyncio, nbclient or nbformat.

>>> Outcome("00-read-the-source", ok=False, where="cell 3 of 12").ok
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    """One notebook to run, and everything its kernel needs."""

    name: str
    nb: dict
    cwd: str
    data_dir: str
    out_dir: str
    parameters: dict[str, Any]
    title: str
    built: str
    kernel_dir: str  # connection files and IPC sockets (a short path: socket names are limited)
    preloaded_dataset: str = ""  # the build's pickle of the loaded data ("": none)
    kernel_name: str = "python3"
    timeout: int = 600


@dataclass
class Outcome:
    """What running a notebook gave: a report, or where and why it failed."""

    name: str
    ok: bool
    seconds: float = 0.0
    html: str = ""
    reads: list[str] = field(default_factory=list)
    bottom_line: str = ""
    thumbnail: bytes = b""
    thumbnail_alt: str = ""
    missing_alt: int = 0
    where: str = ""
    excerpt: str = ""
    error: str = ""
    notes: list[str] = field(default_factory=list)  # what the kernel said for the build output
