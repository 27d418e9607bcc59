"""Settings for every test run, the doctests in ``src/helpers`` included.

* Variables of the caller's shell that would point the kit elsewhere (``KIT_*``) are
  cleared: tests set what they need explicitly (monkeypatch or a child's env), so a
  researcher's ``export KIT_DATA_DIR=...`` cannot change what a test checks.
* Outputs go to a temporary folder (``KIT_OUTPUT_DIR``), so no test or doctest writes
  to, or deletes from, the kit's own ``reports/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

for _name in [n for n in os.environ if n.startswith("KIT_")]:
    del os.environ[_name]

_OUTPUT = tempfile.mkdtemp(prefix="kit-test-output-")
os.environ["KIT_OUTPUT_DIR"] = _OUTPUT


def pytest_unconfigure(config):
    shutil.rmtree(_OUTPUT, ignore_errors=True)
