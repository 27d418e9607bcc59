"""Settings for every test run, the doctests in ``src/helpers`` included.

* Variables of the caller's shell that would point the kit elsewhere (``KIT_*``) are
  cleared: tests set what they need explicitly (monkeypatch or a child's env), so a
  researcher's ``export KIT_DATA_DIR=...`` cannot change what a test checks.
* Outputs go to a temporary folder (``KIT_OUTPUT_DIR``), so no test or doctest writes
  to, or deletes from, the kit's own ``reports/``.
* The doctests of the views and the source commands read the kit's data the way a
  notebook of the report build does: ``load()`` of the kit's own ``data/`` returns a
  pickle of it, loaded and validated once per test process (``KIT_PRELOADED_DATASET``,
  :mod:`helpers.paths`), where each example would otherwise validate every file again
  (135 examples, most of a second each). The loader's own examples, and the build's,
  read the files.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile

import pytest

for _name in [n for n in os.environ if n.startswith("KIT_")]:
    del os.environ[_name]

_OUTPUT = tempfile.mkdtemp(prefix="kit-test-output-")
os.environ["KIT_OUTPUT_DIR"] = _OUTPUT


def pytest_unconfigure(config):
    shutil.rmtree(_OUTPUT, ignore_errors=True)


#: Doctests of these packages load the data as a built notebook does (see above).
PRELOADED_FOR = ("helpers.views.", "helpers.sources.")


@pytest.fixture(scope="session")
def preloaded_dataset(tmp_path_factory) -> str:
    """A pickle of the kit's data as the report build makes it: loaded and validated once."""
    from helpers.data.dataset import load

    path = tmp_path_factory.mktemp("preloaded") / "dataset.pickle"
    path.write_bytes(pickle.dumps(load()))
    return str(path)


@pytest.fixture(autouse=True)
def _doctests_read_the_preloaded_data(request, monkeypatch):
    name = getattr(getattr(request.node, "dtest", None), "name", "")
    if name.startswith(PRELOADED_FOR):
        from helpers import paths

        monkeypatch.setenv(
            paths.PRELOADED_DATASET_ENV, request.getfixturevalue("preloaded_dataset")
        )
