"""A paper's regional division as data, and the province map.

Regions and their member provinces are entities of the corpus (`entities.yaml`, with ISO 3166-2
codes); the division is the set of regions whose quote lies in the passage that the paper's
check spec names (`division` in `data/checks.yaml`). The public tables and the GeoJSON use GB/T
2260 administrative codes, so the two code systems are joined here by a fixed table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from errors import AnnotationError
from graph.data.check_spec import Spec, read_spec
from ingest.corpus import Corpus
from ingest.models import Entity, EntityKind, Passage
from ingest.safe_read import read_input

# GB/T 2260 code of each provincial-level division, by ISO 3166-2 code.
ADCODE_BY_ISO: Mapping[str, str] = {
    "CN-BJ": "110000",
    "CN-TJ": "120000",
    "CN-HE": "130000",
    "CN-SX": "140000",
    "CN-NM": "150000",
    "CN-LN": "210000",
    "CN-JL": "220000",
    "CN-HL": "230000",
    "CN-SH": "310000",
    "CN-JS": "320000",
    "CN-ZJ": "330000",
    "CN-AH": "340000",
    "CN-FJ": "350000",
    "CN-JX": "360000",
    "CN-SD": "370000",
    "CN-HA": "410000",
    "CN-HB": "420000",
    "CN-HN": "430000",
    "CN-GD": "440000",
    "CN-GX": "450000",
    "CN-HI": "460000",
    "CN-CQ": "500000",
    "CN-SC": "510000",
    "CN-GZ": "520000",
    "CN-YN": "530000",
    "CN-XZ": "540000",
    "CN-SN": "610000",
    "CN-GS": "620000",
    "CN-QH": "630000",
    "CN-NX": "640000",
    "CN-XJ": "650000",
    "CN-TW": "710000",
    "CN-HK": "810000",
    "CN-MO": "820000",
}
ISO_BY_ADCODE: Mapping[str, str] = {v: k for k, v in ADCODE_BY_ISO.items()}

GEOJSON = Path("china-provinces-geojson-echarts4") / "china_provinces.geojson"


@dataclass(frozen=True, slots=True)
class Province:
    id: str
    iso: str
    adcode: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    zh: str
    en: str
    provinces: tuple[Province, ...]

    @property
    def adcodes(self) -> frozenset[str]:
        return frozenset(p.adcode for p in self.provinces)


@dataclass(frozen=True, slots=True)
class RegionMap:
    regions: tuple[Region, ...]
    """the division's regions, in the order of the annotations"""
    provinces: Mapping[str, Province]
    """every province entity with an ISO code, by entity id"""
    country: str | None
    """the entity id of China (ISO code CN), if annotated"""
    source: str | None = None
    """the passage that lists the division (the spec's `division`), if any"""

    def by_adcode(self, adcode: str) -> Province | None:
        return next((p for p in self.provinces.values() if p.adcode == adcode), None)

    def region(self, region_id: str) -> Region:
        for r in self.regions:
            if r.id == region_id:
                return r
        raise KeyError(region_id)

    def region_of(self, adcode: str) -> Region | None:
        return next((r for r in self.regions if adcode in r.adcodes), None)

    def group(self, *entity_ids: str) -> frozenset[str]:
        """Adcodes of regions and provinces named by entity id (a region gives its members)."""
        codes: set[str] = set()
        for eid in entity_ids:
            if eid in self.provinces:
                codes.add(self.provinces[eid].adcode)
            else:
                codes |= self.region(eid).adcodes
        return frozenset(codes)


def region_map(corpus: Corpus, spec: Spec | None = None) -> RegionMap:
    """The provinces (ISO -> adcode) and the division named by the check spec (read from the
    corpus folder when not given), from the corpus entities."""
    if spec is None:
        spec = read_spec(corpus.folder)
    division = spec.data.division.passage if spec.data.division else None
    entities = {e.id: e for e in corpus.of_type(Entity)}
    provinces: dict[str, Province] = {}
    for e in entities.values():
        if e.kind is EntityKind.province and e.iso_code:
            adcode = ADCODE_BY_ISO.get(e.iso_code)
            if adcode is None:
                raise AnnotationError(
                    f"no GB/T 2260 code known for ISO code {e.iso_code!r}",
                    file=corpus.places[e.id].file,
                    line=corpus.places[e.id].line,
                    field="iso_code",
                    item=e.id,
                )
            provinces[e.id] = Province(e.id, e.iso_code, adcode, e.label.zh, e.label.en)
    country = next((e.id for e in entities.values() if e.iso_code == "CN"), None)
    note = corpus.items.get(division) if division else None
    if division and not isinstance(note, Passage):
        spec.error(
            f"unknown passage {division!r} (not a passage of the corpus)", ("division", "passage")
        )
    note_text = note.quote if isinstance(note, Passage) else None
    regions: list[Region] = []
    seen: dict[str, str] = {}
    for e in entities.values():
        if e.kind is not EntityKind.region or not e.members:
            continue
        if note_text is None or e.quote not in note_text:
            continue
        members = tuple(provinces[m] for m in e.members if m in provinces)
        for p in members:
            if p.id in seen:
                raise AnnotationError(
                    f"province {p.id!r} is in two regions ({seen[p.id]!r} and {e.id!r})",
                    file=corpus.places[e.id].file,
                    line=corpus.places[e.id].line,
                    field="members",
                    item=e.id,
                )
            seen[p.id] = e.id
        regions.append(Region(e.id, e.label.zh, e.label.en, members))
    return RegionMap(tuple(regions), dict(sorted(provinces.items())), country, division)


def read_geojson(data_dir: Path | None) -> dict[str, Any] | None:
    """The province boundaries, or None when the file is not in the data folder."""
    if data_dir is None:
        return None
    path = Path(data_dir) / GEOJSON
    if not path.is_file():
        return None
    try:
        raw = read_input(path, within=data_dir, what="GeoJSON file")
        doc: dict[str, Any] = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        raise AnnotationError(f"cannot read the GeoJSON: {exc}", file=path) from None
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise AnnotationError("not a GeoJSON FeatureCollection", file=path, field="type")
    return doc


@dataclass(frozen=True, slots=True)
class MapRow:
    """One province of the division, as the API reads it back from the store."""

    adcode: str
    province: str
    province_zh: str | None
    province_en: str | None
    region: str
    region_zh: str | None
    region_en: str | None


def tag_features(doc: dict[str, Any], rows: list[MapRow]) -> dict[str, Any]:
    """The GeoJSON with `region`, `region_zh`, `region_en`, `province`, `adcode` added to each
    province's properties (`region` null for units outside the division: Taiwan, Hong Kong,
    Macau). Features are sorted by adcode; the input is not modified."""
    by_code = {r.adcode: r for r in rows}
    features = []
    for feature in doc["features"]:
        props = dict(feature.get("properties") or {})
        adcode = str(props.get("id", ""))
        row = by_code.get(adcode)
        props.update(
            adcode=adcode,
            iso_code=ISO_BY_ADCODE.get(adcode),
            province=row.province if row else None,
            province_en=row.province_en if row else None,
            region=row.region if row else None,
            region_zh=row.region_zh if row else None,
            region_en=row.region_en if row else None,
        )
        features.append(
            {"type": "Feature", "properties": props, "geometry": feature.get("geometry")}
        )
    features.sort(key=lambda f: str(f["properties"]["adcode"]))
    return {"type": "FeatureCollection", "features": features}
