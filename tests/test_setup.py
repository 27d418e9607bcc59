"""A failed set-up leaves no half-made ``.venv`` and shows the installer's error.

``scripts/setup_venv.sh`` is run on a copy of the project whose lock names a package no index
holds; uv and pip are kept offline (``UV_OFFLINE``, ``PIP_NO_INDEX``), so nothing leaves the
machine. Both installers are tried: uv from the kit's tool cache, and plain pip where uv
cannot be installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers import paths

pytestmark = pytest.mark.slow

MISSING = "karabakh-kit-no-such-package==1.0"


def run_setup(project, uv_dir, python=sys.executable):
    # HOME is the machine's, so offline uv finds the pip it seeds a venv with in its own cache
    # (``make setup`` put it there); both installers are offline, so the lock cannot be met.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(project)),
        "UV_OFFLINE": "1",
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
    }
    return subprocess.run(
        ["bash", "scripts/setup_venv.sh", python, ".venv", "0.13.8", str(uv_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def project(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(paths.ROOT / "scripts" / "setup_venv.sh", tmp_path / "scripts")
    shutil.copy(paths.ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "requirements.lock").write_text(MISSING + "\n")
    return tmp_path


def test_a_failed_install_with_uv_leaves_no_venv(project):
    uv_dir = paths.CACHE_DIR / "tools" / "uv-0.13.8"
    if not (uv_dir / "bin" / "uv").exists():
        pytest.skip("this checkout was set up without uv")
    result = run_setup(project, uv_dir)
    assert result.returncode != 0
    assert "karabakh-kit-no-such-package" in result.stderr  # the installer's own words
    assert not (project / ".venv").exists()


def test_a_failed_install_with_pip_leaves_no_venv(project):
    # uv cannot be installed offline, so the script falls back to python -m venv and pip.
    result = run_setup(project, project / "no-uv")
    assert result.returncode != 0
    assert "installing with pip instead" in result.stderr
    assert "karabakh-kit-no-such-package" in result.stderr
    assert not (project / ".venv").exists()


def test_a_python_too_old_is_refused_before_anything_is_made(project):
    old = project / "python-3.10"
    old.write_text("#!/bin/sh\nexec " + sys.executable + ' -c "import sys; sys.exit(1)"\n')
    old.chmod(0o755)
    result = run_setup(project, project / "no-uv", python=str(old))
    assert result.returncode != 0
    assert "3.11 or newer" in result.stderr
    assert not (project / ".venv").exists()
