"""Names people really write, from a frequency list of real pages, resolve to the right entry.

``tests/data/name_surfaces.tsv`` (how it was built: ``name_surfaces.md``) holds every
treatment name seen on some 240 public pages (forums, clinician guides, surveys,
wikis, news), what each names, and whether it is a name or a description.  This test
measures the catalogue against it: at least 95% of the names of catalogued treatments
resolve to them, none resolves to a wrong entry, and the rest are printed.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

import mecfs_treatments

TSV = Path(__file__).parent / "data" / "name_surfaces.tsv"
CATALOG = mecfs_treatments.Catalog.default()
IDS = {t.id for t in CATALOG.treatments()}


def _rows() -> list[dict[str, str]]:
    with TSV.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


ROWS = _rows()


def _target(refers_to: str) -> str:
    """The entry id a row names: planned ``new:``/``class:`` ids count once they exist."""
    return refers_to.split(":", 1)[1] if ":" in refers_to else refers_to


def test_the_list_is_big_and_wide_enough() -> None:
    names = {row["surface"] for row in ROWS if row["form"] == "name"}
    pages = {row["url"] for row in ROWS}
    assert len(names) >= 400, len(names)
    assert len(pages) >= 40, len(pages)
    assert {row["form"] for row in ROWS} <= {"name", "phrase", "narrower", "product"}


def test_names_of_catalogued_treatments_resolve_to_them(capsys: pytest.CaptureFixture[str]) -> None:
    wanted: dict[tuple[str, str], int] = Counter()
    for row in ROWS:
        if row["form"] != "name" or row["refers_to"].startswith(("ambiguous:", "symptom:")):
            continue
        if _target(row["refers_to"]) in IDS:
            wanted[(row["surface"], _target(row["refers_to"]))] += int(row["count"])
    right, missed, wrong = [], [], []
    for (surface, target), count in wanted.items():
        found = CATALOG.find(surface)
        if found is None:
            missed.append((count, surface, target))
        elif found.id == target:
            right.append(surface)
        else:
            wrong.append((surface, target, found.id))
    share = len(right) / len(wanted)
    with capsys.disabled():
        print(f"\nname surfaces of catalogued treatments: {len(wanted)}, resolved {len(right)} ({share:.1%})")
        for count, surface, target in sorted(missed, reverse=True):
            print(f"  not resolved: {surface!r} (-> {target}, seen {count}x)")
    assert wrong == [], "names that resolve to a wrong entry"
    assert share >= 0.95, f"{share:.1%} of {len(wanted)} names resolve"


def test_no_surface_resolves_to_a_wrong_entry() -> None:
    """Names of treatments the catalogue lacks, and ambiguous names, never land on a wrong entry."""
    wrong = []
    for row in ROWS:
        refers_to = row["refers_to"]
        found = CATALOG.find(row["surface"])
        if found is None or refers_to.startswith("symptom:"):
            continue
        if refers_to.startswith("ambiguous:"):
            allowed = {_target(part) for part in refers_to[len("ambiguous:") :].split("|")}
        else:
            allowed = {_target(refers_to)}
        if found.id not in allowed:
            wrong.append((row["surface"], refers_to, found.id))
    assert wrong == []


LACKING_AT_MOST = 0.08


def test_the_catalogue_lacks_few_of_the_names_people_write(capsys: pytest.CaptureFixture[str]) -> None:
    lacking: Counter[str] = Counter()
    total = 0
    for row in ROWS:
        if row["refers_to"].startswith(("ambiguous:", "symptom:")):
            continue
        total += int(row["count"])
        if _target(row["refers_to"]) not in IDS:
            lacking[_target(row["refers_to"])] += int(row["count"])
    share = sum(lacking.values()) / total
    with capsys.disabled():
        print(f"\nmentions of treatments the catalogue lacks: {share:.1%}; most mentioned:")
        for target, count in lacking.most_common(15):
            print(f"  {target}: {count}")
    # The goal was 10%; this bound only falls as entries are added (7.6% at 273 entries).
    assert share <= LACKING_AT_MOST, f"{share:.1%} of mentions name a treatment the catalogue lacks"
