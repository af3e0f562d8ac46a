"""Hypothesis strategies that build valid datasets as plain data, from the model's own enums.

A generated dataset has the shape of :func:`mecfs_treatments.export.dataset_to_data`:
``{"dataset": ..., "sources": [...], "symptoms": [...], "treatments": [...]}``.  It is
already in the plain form the exporter writes: text with single spaces, optional fields
either absent or holding a non-default value, optional lists absent or non-empty.  So
loading it and exporting it again gives back exactly the same data.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from hypothesis import strategies as st

from mecfs_treatments.model import (
    Access,
    AliasKind,
    Area,
    CaseDefinition,
    Category,
    Condition,
    Criteria,
    Direction,
    EvidenceKind,
    MechanismStatus,
    NoteTopic,
    SourceKind,
    Stance,
    SymptomDomain,
)
from mecfs_treatments.names import compact

_T = TypeVar("_T")
Record = dict[str, Any]

slugs = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
"""Ids in the dataset's slug form."""

texts = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")),
        min_size=1,
        max_size=24,
    )
    .map(lambda value: " ".join(value.split()))
    .filter(bool)
)
"""Free text as the loader leaves it: single spaces, no ends."""

names = texts.filter(lambda value: bool(compact(value)))
"""Names: free text with at least one letter or digit."""

years = st.integers(min_value=1000, max_value=2100)


def values(enum_type: type[enum.Enum]) -> st.SearchStrategy[str]:
    """The data spelling of any member of ``enum_type``."""
    return st.sampled_from([str(member.value) for member in enum_type])


def value_lists(enum_type: type[enum.Enum]) -> st.SearchStrategy[list[str]]:
    """A non-empty list of distinct spellings of ``enum_type``."""
    return st.lists(values(enum_type), min_size=1, max_size=3, unique=True)


def _optional(draw: st.DrawFn, record: Record, key: str, strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        record[key] = draw(strategy)


def _subset(draw: st.DrawFn, pool: Sequence[_T], *, min_size: int = 0) -> list[_T]:
    if not pool:
        return []
    return draw(st.lists(st.sampled_from(list(pool)), min_size=min_size, max_size=3, unique=True))


def _unique_names(draw: st.DrawFn, count: int, taken: set[str]) -> list[str]:
    """``count`` names whose loose keys differ from each other and from ``taken``."""
    drawn = draw(
        st.lists(
            names.filter(lambda name: compact(name) not in taken),
            min_size=count,
            max_size=count,
            unique_by=compact,
        )
    )
    taken.update(compact(name) for name in drawn)
    return drawn


@st.composite
def sources(draw: st.DrawFn) -> list[Record]:
    """A list of valid sources with distinct ids."""
    ids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    result = []
    for source_id in ids:
        record: Record = {"id": source_id, "title": draw(texts), "kind": draw(values(SourceKind))}
        _optional(draw, record, "publisher", texts)
        _optional(draw, record, "year", years)
        _optional(draw, record, "authors", texts)
        _optional(draw, record, "url", slugs.map(lambda slug: f"https://example.org/{slug}"))
        _optional(draw, record, "pmid", st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True))
        _optional(draw, record, "doi", slugs.map(lambda slug: f"10.1234/{slug}"))
        _optional(draw, record, "trial_id", texts)
        _optional(draw, record, "note", texts)
        _optional(draw, record, "verified", st.just(False))
        result.append(record)
    return result


@st.composite
def symptoms(draw: st.DrawFn, source_ids: Sequence[str]) -> list[Record]:
    """A list of valid symptoms citing ``source_ids``; ``broader`` points only backwards."""
    taken: set[str] = set()
    ids = draw(st.lists(slugs, min_size=1, max_size=4, unique_by=compact))
    taken.update(compact(symptom_id) for symptom_id in ids)
    result: list[Record] = []
    for position, symptom_id in enumerate(ids):
        synonyms = draw(st.integers(0, 2))
        label, *others = _unique_names(draw, 1 + synonyms, taken)
        record: Record = {"id": symptom_id, "label": label, "domain": draw(values(SymptomDomain))}
        if others:
            record["synonyms"] = others
        _optional(draw, record, "criteria", value_lists(Criteria))
        _optional(draw, record, "hpo", st.integers(0, 9_999_999).map(lambda n: f"HP:{n:07d}"))
        _optional(draw, record, "hpo_note", texts)
        if position and draw(st.booleans()):
            record["broader"] = draw(st.sampled_from(ids[:position]))
        _optional(draw, record, "description", texts)
        cited = _subset(draw, source_ids)
        if cited:
            record["sources"] = cited
        result.append(record)
    return result


def _items(
    draw: st.DrawFn, record: Record, key: str, build: Callable[[], Record], *, max_size: int = 2
) -> None:
    count = draw(st.integers(0, max_size))
    if count:
        record[key] = [build() for _ in range(count)]


@st.composite
def treatments(draw: st.DrawFn, source_ids: Sequence[str], symptom_ids: Sequence[str]) -> list[Record]:
    """A list of valid treatments citing ``source_ids`` and ``symptom_ids``, names all distinct."""
    taken: set[str] = set()
    ids = draw(st.lists(slugs, min_size=1, max_size=4, unique_by=compact))
    taken.update(compact(treatment_id) for treatment_id in ids)
    result: list[Record] = []

    def cite() -> list[str]:
        return _subset(draw, source_ids, min_size=1)

    for treatment_id in ids:
        alias_count = draw(st.integers(0, 2))
        name, *alias_names = _unique_names(draw, 1 + alias_count, taken)
        record: Record = {
            "id": treatment_id,
            "name": name,
            "category": draw(values(Category)),
            "summary": draw(texts),
            "sources": cite(),
        }
        if alias_names:
            record["aliases"] = [{"name": alias, "kind": draw(values(AliasKind))} for alias in alias_names]
        _optional(draw, record, "access", value_lists(Access))
        _optional(draw, record, "areas", value_lists(Area))
        _items(draw, record, "uses", lambda: {"text": draw(texts), "sources": cite()})
        _items(
            draw,
            record,
            "mechanisms",
            lambda: {
                "name": draw(texts),
                "description": draw(texts),
                "status": draw(values(MechanismStatus)),
                "sources": cite(),
            },
        )
        targeted = _subset(draw, symptom_ids)
        if targeted:
            record["targets"] = []
            for symptom_id in targeted:
                target: Record = {"symptom": symptom_id, "sources": cite()}
                _optional(draw, target, "note", texts)
                record["targets"].append(target)
        _items(draw, record, "evidence", lambda: evidence(draw, cite(), symptom_ids))
        _items(
            draw,
            record,
            "gaps",
            lambda: {"kind": draw(values(EvidenceKind)), "note": draw(texts), "sources": cite()},
        )
        _items(draw, record, "side_effects", lambda: {"text": draw(texts), "sources": cite()})
        _items(
            draw,
            record,
            "notes",
            lambda: {"topic": draw(values(NoteTopic)), "text": draw(texts), "sources": cite()},
        )
        _items(draw, record, "guidance", lambda: guidance(draw, cite()))
        _items(
            draw,
            record,
            "identifiers",
            lambda: {"scheme": draw(st.sampled_from(["drugbank", "mesh", "unii"])), "value": draw(texts)},
        )
        result.append(record)
    for record in result:
        others = [t["id"] for t in result if t["id"] != record["id"]]
        related = _subset(draw, others)
        if related:
            record["related"] = related
    return result


def evidence(draw: st.DrawFn, cited: list[str], symptom_ids: Sequence[str]) -> Record:
    """One valid evidence item."""
    record: Record = {
        "kind": draw(values(EvidenceKind)),
        "direction": draw(values(Direction)),
        "summary": draw(texts),
        "sources": cited,
    }
    _optional(
        draw, record, "condition", st.sampled_from([c.value for c in Condition if c is not Condition.ME_CFS])
    )
    _optional(draw, record, "population", texts)
    _optional(draw, record, "case_definition", values(CaseDefinition))
    _optional(draw, record, "pem_required", st.booleans())
    _optional(draw, record, "participants", st.integers(min_value=1, max_value=100_000))
    _optional(draw, record, "year", years)
    _optional(draw, record, "subgroup", texts)
    about = _subset(draw, symptom_ids)
    if about:
        record["symptoms"] = about
    return record


def guidance(draw: st.DrawFn, cited: list[str]) -> Record:
    """One valid guidance item."""
    record: Record = {
        "body": draw(texts),
        "stance": draw(values(Stance)),
        "summary": draw(texts),
        "sources": cited,
    }
    _optional(draw, record, "year", years)
    return record


@st.composite
def infos(draw: st.DrawFn) -> Record:
    """The plain form of a valid ``dataset.yaml``."""
    record: Record = {
        "version": draw(texts),
        "date": draw(st.dates(min_value=datetime.date(1000, 1, 1))).isoformat(),
    }
    _optional(draw, record, "title", texts.filter(lambda value: value != "mecfs_treatments dataset"))
    _optional(draw, record, "license", texts)
    return record


@st.composite
def datasets(draw: st.DrawFn) -> Record:
    """A whole valid dataset as plain data, in the shape of ``dataset_to_data``."""
    source_list = draw(sources())
    source_ids = [s["id"] for s in source_list]
    symptom_list = draw(symptoms(source_ids))
    treatment_list = draw(treatments(source_ids, [s["id"] for s in symptom_list]))
    return {
        "dataset": draw(st.one_of(st.none(), infos())),
        "sources": source_list,
        "symptoms": symptom_list,
        "treatments": sorted(treatment_list, key=lambda t: str(t["id"])),
    }


def dump(data: object) -> str:
    """YAML text of plain data, as an author would write it."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_dataset(root: Path, data: Record) -> Path:
    """Write plain dataset data as a dataset folder at ``root`` and return ``root``."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "treatments").mkdir(exist_ok=True)
    if data.get("dataset") is not None:
        (root / "dataset.yaml").write_text(dump(data["dataset"]), encoding="utf-8")
    if data.get("symptoms"):
        (root / "symptoms.yaml").write_text(dump(data["symptoms"]), encoding="utf-8")
    if data.get("sources"):
        (root / "sources" / "main.yaml").write_text(dump(data["sources"]), encoding="utf-8")
    for treatment in data.get("treatments", ()):
        (root / "treatments" / f"{treatment.get('id', treatment.get('extends'))}.yaml").write_text(
            dump(treatment), encoding="utf-8"
        )
    return root
