"""Boundaries for the maps: the shipped layers, and higher-detail downloads.

**Shipped** (committed in ``data/geo/``, with provenance beside each file, so a fresh
clone draws them with no download): the districts around Nagorno-Karabakh
(``districts-karabakh.geojson``) and a *proxy* outline of the former Nagorno-Karabakh
Autonomous Oblast (``nagorno-karabakh-proxy.geojson``), both from Natural Earth's
1:10m admin-1 layer (public domain). :func:`map_boundaries` loads them.

**Downloaded** (higher detail, not committed: licence and size). ``make geodata`` (or
``python -m helpers.data.geodata``) downloads them into ``.cache/geodata/``:

* Natural Earth 10m admin-0 *disputed areas* (public domain): its one feature with
  ``BRK_A3 == "B38"`` (Natural Earth names it "Artsakh") has roughly the extent of
  the former oblast;
* geoBoundaries AZE ADM2 (CC BY-SA 3.0): the districts Kalbajar, Lachin, Qubadli,
  Zangilan, Jabrayil, Fuzuli, Agdam, Shusha, Khojaly, Khojavend, Tartar and the
  city of Khankendi.

Checksums: the expected SHA-256 of each download lives in the committed
``data/geo/downloads.lock.json``. Where none is recorded yet, the first download's
checksum is recorded there (*trust on first use*, announced loudly: review and
commit the file). A download that differs from a recorded checksum is refused.

URLs are in :data:`DOWNLOADS`; ``KIT_GEODATA_MIRROR=<base URL>`` (or the
``urls=`` argument) fetches the same file names from elsewhere, e.g. a local mirror.

:func:`load_boundaries` returns what was downloaded, or ``None``; maps call
:func:`map_boundaries`, which takes each layer from the download when there is one
and from the shipped files otherwise, and records which it took:

>>> import tempfile
>>> empty = Path(tempfile.mkdtemp())
>>> load_boundaries(empty) is None
True
>>> drawn = map_boundaries(empty)
>>> drawn.origins
{'nagorno-karabakh': 'shipped', 'districts': 'shipped'}
>>> "make geodata" in missing_message()
True
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .. import paths
from ..files import atomic_write, sha256_file
from .wording import fold

#: Where downloads and extracted layers go (gitignored); ``KIT_GEODATA_DIR`` overrides.
CACHE = paths.CACHE_DIR / "geodata"
#: Expected checksums of the downloads (committed).
LOCK_FILE = paths.GEO_DIR / "downloads.lock.json"


@dataclass(frozen=True)
class Download:
    """One file to fetch: where from, under what licence, and what it is."""

    name: str
    url: str
    filename: str
    title: str
    licence: str
    credit: str


#: Every download, in one place. Override the host with KIT_GEODATA_MIRROR.
DOWNLOADS = {
    "natural-earth-disputed": Download(
        name="natural-earth-disputed",
        url="https://naciscdn.org/naturalearth/10m/cultural/ne_10m_admin_0_disputed_areas.zip",
        filename="ne_10m_admin_0_disputed_areas.zip",
        title="Natural Earth 1:10m Admin 0 – Breakaway, Disputed Areas",
        licence="Public domain (https://www.naturalearthdata.com/about/terms-of-use/)",
        credit="Made with Natural Earth",
    ),
    "geoboundaries-aze-adm2": Download(
        name="geoboundaries-aze-adm2",
        url="https://github.com/wmgeolab/geoBoundaries/raw/"
        "ea5b27e7aa608eb6827f2cc76620a5b21acc5962/releaseData/gbOpen/AZE/ADM2/"
        "geoBoundaries-AZE-ADM2.geojson",
        filename="geoBoundaries-AZE-ADM2.geojson",
        title="geoBoundaries gbOpen AZE ADM2 (Runfola et al. 2020)",
        licence="CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/)",
        credit="geoBoundaries (CC BY-SA 3.0)",
    ),
}

#: The Natural Earth disputed-area feature of the former oblast.
NK_BRK_A3 = "B38"

#: District (or city) -> (gazetteer place_id of its centre or None, accepted spellings).
#: Spellings are compared folded (lower case, no diacritics, ə -> a).
DISTRICTS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "Kalbajar": ("kalbajar", ("kalbajar", "kelbajar", "kalbacar", "kelbecer")),
    "Lachin": ("lachin", ("lachin", "lacin")),
    "Qubadli": ("qubadli", ("qubadli", "gubadli", "gubadly", "kubatly", "kubatli")),
    "Zangilan": ("zangilan", ("zangilan", "zengilan", "zangelan")),
    "Jabrayil": ("jabrayil", ("jabrayil", "jabrail", "cabrayil", "jebrail", "jabrayl")),
    "Fuzuli": ("fuzuli", ("fuzuli", "fizuli")),
    "Agdam": ("agdam", ("agdam", "aghdam")),
    "Shusha": ("shusha", ("shusha", "susa")),
    "Khojaly": ("khojaly", ("khojaly", "khojali", "xocali", "hojali")),
    "Khojavend": ("khojavend", ("khojavend", "khojavand", "xocavand")),
    "Tartar": (None, ("tartar", "terter")),
    "Khankendi": ("stepanakert", ("khankendi", "khankandi", "xankandi")),
}

_SUFFIXES = re.compile(r"(rayon|rayonu|district|city|sahari|seher|shahar)$")


class GeoDataError(RuntimeError):
    """A download failed its checksum or lacks the features the maps need."""


def district_key(name: str) -> str:
    """A district's name as a key for matching: folded, letters only, no "District".

    >>> district_key("Kəlbəcər rayonu"), district_key("Füzuli District"), district_key("Xankəndi")
    ('kalbacar', 'fuzuli', 'xankandi')
    """
    # The kit's one folding (helpers.data.wording.fold), then letters only.
    text = "".join(c for c in fold(str(name)) if c.isascii() and c.isalpha())
    return _SUFFIXES.sub("", text)


def match_district(name: str) -> str | None:
    """The kit's district for a boundary's name, or ``None``.

    >>> match_district("Kelbajar Rayon"), match_district("Baku")
    ('Kalbajar', None)
    """
    folded = district_key(name)
    for district, (_, spellings) in DISTRICTS.items():
        if folded in spellings:
            return district
    return None


def default_cache_dir() -> Path:
    """The boundary cache in use: ``$KIT_GEODATA_DIR`` if set, else :data:`CACHE`."""
    return Path(os.environ.get("KIT_GEODATA_DIR") or CACHE)


def read_lock(lock_path: Path = LOCK_FILE) -> dict:
    """The lock file's ``{name: {"url", "sha256"}}`` (empty if absent)."""
    if not Path(lock_path).is_file():
        return {}
    return json.loads(Path(lock_path).read_text(encoding="utf-8")).get("downloads", {})


def _write_lock(lock_path: Path, entries: dict) -> None:
    doc = {
        "about": "Expected SHA-256 of the files `make geodata` downloads. An entry "
        "without sha256 is recorded on first download (trust on first use): "
        "review and commit it. A mismatch with a recorded sha256 is an error.",
        "downloads": entries,
    }
    atomic_write(lock_path, (json.dumps(doc, indent=2) + "\n").encode("utf-8"))


def _url_for(item: Download, urls: dict[str, str] | None) -> str:
    if urls and item.name in urls:
        return urls[item.name]
    mirror = os.environ.get("KIT_GEODATA_MIRROR")
    return f"{mirror.rstrip('/')}/{item.filename}" if mirror else item.url


def download(item: Download, url: str, raw_dir: Path, timeout: float = 60) -> Path:
    """Fetch ``url`` to ``raw_dir/<filename>`` atomically; return the path."""
    # Here, not above: the report build reads this module on every run, a download is rare.
    import urllib.request

    raw_dir.mkdir(parents=True, exist_ok=True)
    target = raw_dir / item.filename
    request = urllib.request.Request(url, headers={"User-Agent": "karabakh-research-kit"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
    except OSError as exc:
        raise GeoDataError(f"could not download {item.name} from {url}: {exc}") from exc
    atomic_write(target, data)
    return target


def verify(item: Download, path: Path, url: str, lock: dict, out=sys.stderr) -> str:
    """Check ``path`` against the lock; record its checksum if none is (TOFU)."""
    actual = sha256_file(path)
    expected = (lock.get(item.name) or {}).get("sha256")
    if expected and expected != actual:
        rejected = path.with_name(path.name + ".rejected")
        path.replace(rejected)
        raise GeoDataError(
            f"{item.name}: {url} has sha256 {actual}, but {LOCK_FILE.name} expects "
            f"{expected}. The file (kept as {rejected}) was not used. If upstream "
            "published a new release, review it and update the lock deliberately."
        )
    if not expected:
        lock[item.name] = {"url": url, "sha256": actual}
        print(
            f"\n*** TRUST ON FIRST USE: no checksum was recorded for {item.name}.\n"
            f"*** Recorded sha256 {actual}\n*** for {url}.\n"
            "*** Review the download, then commit data/geo/downloads.lock.json.\n",
            file=out,
        )
    return actual


def extract_nagorno_karabakh(path: Path):
    """The former oblast's feature from Natural Earth's disputed-areas archive."""
    import geopandas as gpd

    layer = gpd.read_file(f"zip://{path}" if path.suffix == ".zip" else path)
    if "BRK_A3" not in layer.columns:
        raise GeoDataError(f"{path.name}: no BRK_A3 column (columns: {list(layer.columns)})")
    hit = layer[layer["BRK_A3"] == NK_BRK_A3]
    if hit.empty:
        raise GeoDataError(
            f"{path.name}: no feature with BRK_A3 == {NK_BRK_A3!r} "
            f"(found {sorted(layer['BRK_A3'].astype(str).unique())[:20]})"
        )
    out = hit[["geometry"]].to_crs(4326).reset_index(drop=True)
    out.insert(
        0, "source_name", hit["BRK_NAME"].astype(str).to_numpy() if "BRK_NAME" in hit else NK_BRK_A3
    )
    out.insert(0, "place_id", "nagorno-karabakh")
    return out


def extract_districts(path: Path):
    """The districts of :data:`DISTRICTS` from a geoBoundaries ADM2 file."""
    import geopandas as gpd

    layer = gpd.read_file(path)
    column = next((c for c in ("shapeName", "NAME_2", "name") if c in layer.columns), None)
    if column is None:
        raise GeoDataError(f"{path.name}: no name column (columns: {list(layer.columns)})")
    names = layer[column].astype(str)
    district = names.map(match_district)
    keep = layer[district.notna()]
    if keep.empty:
        raise GeoDataError(
            f"{path.name}: none of the districts {list(DISTRICTS)} found in column {column!r}"
        )
    out = keep[["geometry"]].to_crs(4326).reset_index(drop=True)
    out.insert(0, "source_name", names[district.notna()].to_numpy())
    out.insert(0, "place_id", [DISTRICTS[d][0] for d in district.dropna()])
    out.insert(0, "district", district.dropna().to_numpy())
    return out


def fetch(
    urls: dict[str, str] | None = None,
    cache_dir: Path | None = None,
    lock_path: Path | None = None,
    out=sys.stderr,
) -> dict:
    """Download, verify and extract every layer; return the provenance written.

    Parameters
    ----------
    urls : dict, optional
        ``{download name: url}`` overriding :data:`DOWNLOADS` (tests, mirrors).
    cache_dir, lock_path : Path, optional
        Defaults :data:`CACHE` and :data:`LOCK_FILE`.
    """
    cache_dir = Path(cache_dir or default_cache_dir())
    lock_path = Path(lock_path or LOCK_FILE)
    lock = read_lock(lock_path)
    record: dict = {"retrieved": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "layers": {}}
    raw = {}
    try:
        for item in DOWNLOADS.values():
            url = _url_for(item, urls)
            path = download(item, url, cache_dir / "raw")
            raw[item.name] = (path, url, verify(item, path, url, lock, out=out))
    finally:
        if lock != read_lock(lock_path):
            _write_lock(lock_path, lock)

    layers = {
        "nagorno-karabakh": ("natural-earth-disputed", extract_nagorno_karabakh),
        "districts": ("geoboundaries-aze-adm2", extract_districts),
    }
    for layer_name, (source, extract) in layers.items():
        path, url, digest = raw[source]
        frame = extract(path)
        if layer_name == "districts":
            record["missing_districts"] = sorted(set(DISTRICTS) - set(frame["district"]))
        target = cache_dir / f"{layer_name}.geojson"
        atomic_write(target, frame.to_json(drop_id=True).encode("utf-8"))
        item = DOWNLOADS[source]
        record["layers"][layer_name] = {
            "file": target.name,
            "features": len(frame),
            "source": item.title,
            "url": url,
            "sha256": digest,
            "licence": item.licence,
            "credit": item.credit,
        }
    atomic_write(cache_dir / "provenance.json", (json.dumps(record, indent=2) + "\n").encode())
    return record


@dataclass
class Boundaries:
    """Boundary layers (each a GeoDataFrame or ``None``), their provenance and origin.

    ``origins`` says, per layer (``"nagorno-karabakh"``, ``"districts"``), whether it
    was ``"shipped"`` (``data/geo/``) or ``"downloaded"`` (``make geodata``).
    Layers loaded by :func:`map_boundaries` carry the columns the maps read:
    districts ``district_id``, ``name``, ``group``; the oblast outline ``label``
    (what it is) and ``what_it_is_not``.
    """

    nagorno_karabakh: object = None
    districts: object = None
    provenance: dict = field(default_factory=dict)
    origins: dict = field(default_factory=dict)

    def credits(self) -> list[str]:
        """One credit line per layer present, e.g. ``'geoBoundaries (CC BY-SA 3.0)'``."""
        return sorted({layer["credit"] for layer in self.provenance.get("layers", {}).values()})


def load_boundaries(cache_dir: Path | None = None) -> Boundaries | None:
    """The downloaded layers present in the cache, or ``None`` if there are none."""
    import geopandas as gpd

    cache_dir = Path(cache_dir or default_cache_dir())
    meta = cache_dir / "provenance.json"
    if not meta.is_file():
        return None
    provenance = json.loads(meta.read_text(encoding="utf-8"))
    found = {}
    for layer_name in ("nagorno-karabakh", "districts"):
        path = cache_dir / f"{layer_name}.geojson"
        found[layer_name] = gpd.read_file(path) if path.is_file() else None
    if all(v is None for v in found.values()):
        return None
    origins = {name: "downloaded" for name, frame in found.items() if frame is not None}
    return Boundaries(found["nagorno-karabakh"], found["districts"], provenance, origins)


#: The shipped layers in ``data/geo/`` (each with a ``.provenance.json`` beside it).
SHIPPED = {
    "nagorno-karabakh": "nagorno-karabakh-proxy.geojson",
    "districts": "districts-karabakh.geojson",
}
#: What the former oblast's outline is not, said on every map that draws it.
NOT_A_FRONT_LINE = "an administrative line, not a line of control or a ceasefire line"
#: Districts (gazetteer place_id) inside, or partly inside, the former oblast; the
#: others in :data:`DISTRICTS` are the seven around it. Used to group downloaded
#: districts as the shipped file groups its own.
OBLAST_AREA = {"stepanakert", "khojaly", "khojavend", "shusha"}


def load_shipped(geo_dir: Path | None = None) -> Boundaries:
    """The boundary layers committed in ``data/geo/`` (no download needed).

    >>> shipped = load_shipped()
    >>> sorted(shipped.districts["group"].unique())
    ['adjacent-district', 'former-oblast-area', 'partly-former-oblast-area']
    >>> shipped.nagorno_karabakh["what_it_is_not"].iloc[0].startswith("an administrative line")
    True
    """
    import geopandas as gpd

    folder = Path(geo_dir) if geo_dir is not None else paths.geo_dir()
    frames, layers = {}, {}
    for layer_name, filename in SHIPPED.items():
        path = folder / filename
        meta = path.with_name(path.name.removesuffix(".geojson") + ".provenance.json")
        if not path.is_file() or not meta.is_file():
            frames[layer_name] = None
            continue
        record = json.loads(meta.read_text(encoding="utf-8"))
        frames[layer_name] = gpd.read_file(path)
        origin = record.get("origin", {})
        layers[layer_name] = {
            "file": f"data/geo/{filename}",
            "features": len(frames[layer_name]),
            "source": f"{origin.get('data', '?')}, via {origin.get('package', '?')}",
            "licence": record.get("licence", "?"),
            "credit": record.get("credit", ""),
            "origin": "shipped",
        }
    origins = {name: "shipped" for name, frame in frames.items() if frame is not None}
    return Boundaries(frames["nagorno-karabakh"], frames["districts"], {"layers": layers}, origins)


def _as_drawn(downloaded: Boundaries) -> Boundaries:
    """Downloaded layers with the columns the maps read (see :class:`Boundaries`)."""
    districts, outline = downloaded.districts, downloaded.nagorno_karabakh
    if districts is not None:
        districts = districts.copy()
        ids = [
            p if isinstance(p, str) else district_key(d)
            for p, d in zip(districts["place_id"], districts["district"], strict=True)
        ]
        districts["district_id"] = ids
        districts["name"] = districts["district"]
        districts["group"] = [
            "former-oblast-area"
            if i in OBLAST_AREA
            else "partly-former-oblast-area"
            if i == "tartar"
            else "adjacent-district"
            for i in ids
        ]
    if outline is not None:
        outline = outline.copy()
        outline["label"] = (
            "Approximate extent of the former Nagorno-Karabakh Autonomous Oblast "
            "(Natural Earth 1:10m disputed areas, feature BRK_A3 B38)"
        )
        outline["what_it_is_not"] = NOT_A_FRONT_LINE
    return Boundaries(outline, districts, downloaded.provenance, dict(downloaded.origins))


def map_boundaries(cache_dir: Path | None = None, geo_dir: Path | None = None) -> Boundaries:
    """The boundaries the maps draw: each layer downloaded if present, else shipped.

    ``origins`` records which; ``provenance["layers"]`` describes the layers drawn.
    """
    shipped = load_shipped(geo_dir)
    downloaded = load_boundaries(cache_dir)
    if downloaded is None:
        return shipped
    drawn = _as_drawn(downloaded)
    layers = dict(drawn.provenance.get("layers", {}))
    for attr, layer_name in (("nagorno_karabakh", "nagorno-karabakh"), ("districts", "districts")):
        if getattr(drawn, attr) is None and getattr(shipped, attr) is not None:
            setattr(drawn, attr, getattr(shipped, attr))
            drawn.origins[layer_name] = "shipped"
            layers[layer_name] = shipped.provenance["layers"][layer_name]
    drawn.provenance = {**drawn.provenance, "layers": layers}
    return drawn


def missing_message() -> str:
    """What a map says when the detailed boundaries are absent, and how to get them."""
    return (
        "The boundaries of the former Nagorno-Karabakh Autonomous Oblast and of the "
        "surrounding districts are not shipped with the kit and have not been "
        "downloaded, so the maps mark Nagorno-Karabakh by a label only. To add them "
        "(needs internet once): run `make geodata`, then rerun this notebook."
    )


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        record = fetch(cache_dir=args.cache_dir)
    except GeoDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, layer in record["layers"].items():
        print(f"{name}: {layer['features']} feature(s) from {layer['source']}")
    if record.get("missing_districts"):
        print(f"districts not found: {', '.join(record['missing_districts'])}")
    return 0


def status(boundaries: Boundaries | None) -> str:
    """One plain sentence: which detailed boundaries the maps use, or how to get them.

    >>> status(None) == missing_message()
    True
    """
    if boundaries is None:
        return missing_message()
    if boundaries.origins and set(boundaries.origins.values()) == {"shipped"}:
        return shipped_message(boundaries)
    layers = boundaries.provenance.get("layers", {})
    used = [
        f"{name} ({layer['source']}, {layer['licence'].split(' (')[0]})"
        for name, layer in layers.items()
    ]
    missing = boundaries.provenance.get("missing_districts") or []
    note = f" Districts not found in the download: {', '.join(missing)}." if missing else ""
    return "The maps use the downloaded boundaries: " + "; ".join(used) + "." + note


def shipped_message(boundaries: Boundaries) -> str:
    """What a map says when it draws the shipped layers.

    >>> print(shipped_message(load_shipped()))  # doctest: +ELLIPSIS
    The maps draw the boundaries shipped with the kit (data/geo/...): ...
    """
    files = ", ".join(layer["file"] for layer in boundaries.provenance.get("layers", {}).values())
    return (
        f"The maps draw the boundaries shipped with the kit ({files}): Natural Earth's "
        "generalised 1:10m district lines, and a proxy outline of the former "
        "Nagorno-Karabakh Autonomous Oblast built from the post-1991 districts that "
        "approximate it. `make geodata` downloads higher-detail boundaries (needs "
        "internet once); the maps then say so."
    )


if __name__ == "__main__":
    raise SystemExit(main())
