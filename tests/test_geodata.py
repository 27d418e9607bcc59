"""helpers.geodata: download, verify (TOFU lock), extract, load — against 127.0.0.1 only.

The test builds a small Natural Earth-like zip and a geoBoundaries-like GeoJSON,
serves them from a local HTTP server it starts, and points the downloader there.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from helpers import geodata

#: District names as a boundary file might spell them; "Baku" must not match.
DISTRICT_NAMES = ["Kelbajar Rayon", "Lachin", "Xankəndi", "Füzuli District", "Baku"]


def build_archives(folder: Path) -> dict[str, Path]:
    """A small disputed-areas zip (two features) and an ADM2 GeoJSON (five)."""
    folder.mkdir(parents=True, exist_ok=True)
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    disputed = gpd.GeoDataFrame(
        {"BRK_A3": ["B38", "B99"], "BRK_NAME": ["Artsakh", "Elsewhere"]},
        geometry=[box(46.3, 39.4, 47.2, 40.3), box(10, 10, 11, 11)],
        crs=4326,
    )
    disputed.to_file(shp_dir / "ne_10m_admin_0_disputed_areas.shp")
    archive = folder / "ne_10m_admin_0_disputed_areas.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in sorted(shp_dir.iterdir()):
            zf.write(part, part.name)
    districts = gpd.GeoDataFrame(
        {"shapeName": DISTRICT_NAMES},
        geometry=[box(45.8 + i * 0.3, 39.3, 46.1 + i * 0.3, 39.6) for i in range(5)],
        crs=4326,
    )
    adm2 = folder / "geoBoundaries-AZE-ADM2.geojson"
    districts.to_file(adm2, driver="GeoJSON")
    return {"natural-earth-disputed": archive, "geoboundaries-aze-adm2": adm2}


@pytest.fixture
def boundary_server(tmp_path):
    """Serve built archives on 127.0.0.1; yields (urls, served folder)."""
    served = tmp_path / "served"
    files = build_archives(served)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield {name: f"{base}/{path.name}" for name, path in files.items()}, served
    finally:
        server.shutdown()
        server.server_close()


def fetch_to(tmp_path: Path, urls: dict, lock: Path | None = None):
    lock = lock or tmp_path / "lock.json"
    log = tmp_path / "log.txt"
    with log.open("w") as out:
        record = geodata.fetch(urls=urls, cache_dir=tmp_path / "cache", lock_path=lock, out=out)
    return record, lock, log.read_text()


def test_downloads_extracts_and_records_trust_on_first_use(tmp_path, boundary_server):
    urls, served = boundary_server
    record, lock, log = fetch_to(tmp_path, urls)
    assert "TRUST ON FIRST USE" in log
    recorded = json.loads(lock.read_text())["downloads"]
    assert set(recorded) == set(geodata.DOWNLOADS)
    assert (
        recorded["geoboundaries-aze-adm2"]["sha256"]
        == hashlib.sha256((served / "geoBoundaries-AZE-ADM2.geojson").read_bytes()).hexdigest()
    )

    found = geodata.load_boundaries(tmp_path / "cache")
    assert list(found.nagorno_karabakh["place_id"]) == ["nagorno-karabakh"]
    assert found.nagorno_karabakh.total_bounds.tolist() == pytest.approx([46.3, 39.4, 47.2, 40.3])
    assert sorted(found.districts["district"]) == ["Fuzuli", "Kalbajar", "Khankendi", "Lachin"]
    assert "Baku" not in set(found.districts["source_name"])
    assert (
        dict(zip(found.districts["district"], found.districts["place_id"], strict=True))[
            "Khankendi"
        ]
        == "stepanakert"
    )
    assert "Tartar" in record["missing_districts"]
    licences = {layer["licence"] for layer in found.provenance["layers"].values()}
    assert any("CC BY-SA 3.0" in text for text in licences)
    assert "Tartar" in geodata.status(found)


def test_a_recorded_checksum_is_enforced(tmp_path, boundary_server):
    urls, served = boundary_server
    _, lock, _ = fetch_to(tmp_path, urls)
    _, _, log = fetch_to(tmp_path, urls, lock)  # same files: accepted quietly
    assert "TRUST ON FIRST USE" not in log
    before = lock.read_text()

    target = served / "geoBoundaries-AZE-ADM2.geojson"
    target.write_text(target.read_text().replace("Lachin", "Lacin"))
    with pytest.raises(geodata.GeoDataError, match="sha256") as caught:
        fetch_to(tmp_path, urls, lock)
    assert urls["geoboundaries-aze-adm2"] in str(caught.value)
    assert lock.read_text() == before  # a mismatch never rewrites the lock
    assert not (tmp_path / "cache" / "raw" / target.name).exists()


def test_missing_feature_is_an_error_naming_the_file(tmp_path):
    built = build_archives(tmp_path / "b")
    with pytest.raises(geodata.GeoDataError, match="geoBoundaries-AZE-ADM2.geojson"):
        geodata.extract_nagorno_karabakh(built["geoboundaries-aze-adm2"])
    other = gpd.GeoDataFrame({"shapeName": ["Baku"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    other.to_file(tmp_path / "other.geojson", driver="GeoJSON")
    with pytest.raises(geodata.GeoDataError, match="other.geojson"):
        geodata.extract_districts(tmp_path / "other.geojson")


def test_unreachable_server_names_the_url(tmp_path):
    urls = {name: "http://127.0.0.1:9/nothing.zip" for name in geodata.DOWNLOADS}
    with pytest.raises(geodata.GeoDataError, match="127.0.0.1:9"):
        fetch_to(tmp_path, urls)


def test_absent_cache_gives_none_and_says_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_GEODATA_DIR", str(tmp_path / "empty"))
    assert geodata.load_boundaries() is None
    assert "make geodata" in geodata.status(None)


def test_committed_lock_file_is_valid():
    doc = json.loads(geodata.LOCK_FILE.read_text(encoding="utf-8"))
    for name, entry in doc["downloads"].items():
        assert name in geodata.DOWNLOADS
        assert len(entry["sha256"]) == 64
