"""The pip pins, the conda environment and the lock cannot drift apart."""

from __future__ import annotations

import re

from helpers import paths


def pip_pins() -> dict[str, str]:
    pins = {}
    for line in (paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not pinned with =="
            pins[name.lower()] = version
    return pins


def conda_pins() -> dict[str, str]:
    import yaml

    spec = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert spec["channels"] == ["conda-forge"]
    pins = {}
    for item in spec["dependencies"]:
        assert isinstance(item, str), f"environment.yml: unexpected entry {item!r}"
        name, _, version = item.partition("=")
        if name in {"python", "pip"}:
            continue
        assert version, f"environment.yml: {item!r} is not pinned"
        pins[name.lower()] = version
    return pins


def test_conda_and_pip_list_the_same_packages_at_the_same_versions():
    assert conda_pins() == pip_pins()


def test_every_direct_pin_is_in_the_lock():
    lock = {}
    for line in (paths.ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            lock[re.sub(r"[-_.]+", "-", name.lower())] = version
    for name, version in pip_pins().items():
        assert lock.get(re.sub(r"[-_.]+", "-", name)) == version, (
            f"{name}=={version} not in constraints.txt"
        )


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    for name, pinned in pip_pins().items():
        assert version(name) == pinned, f"{name}: installed {version(name)}, pinned {pinned}"
