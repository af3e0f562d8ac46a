"""A seeded mutation fuzzer over dataset and overlay folders: only DatasetError, in bounded time.

Each case takes a small valid dataset, mutates one of its files one to three times
(lines deleted, duplicated, swapped or cut; values of another type; odd Unicode;
tags and anchors; keys that are not text) and loads it with ``Catalog.from_path``
and as an overlay with ``extended_with``.  Whatever happens must be a clean load
or a :class:`~mecfs_treatments.DatasetError`; no case may take long; the default
catalogue must stay as it was.

The default run tries ``MECFS_FUZZ_CASES`` cases (150); ``nox -s fuzz`` runs many
more.  ``MECFS_FUZZ_SEED`` picks another seed; a failure prints the case to replay.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from pathlib import Path

import yaml

from mecfs_treatments import Catalog, DatasetError

from .conftest import minimal_documents, write_documents

CASES = int(os.environ.get("MECFS_FUZZ_CASES", "150"))
SEED = int(os.environ.get("MECFS_FUZZ_SEED", "20261130"))
SLOW = 10.0  # seconds: a generous guard against a hang, not a speed target

VALUES = [
    "1",
    "-1",
    "1.5",
    "0x1F",
    "012",
    "1_000",
    "12:34",
    "yes",
    "no",
    "~",
    "null",
    "[]",
    "{}",
    "''",
    "2021-01-01",
    "[a, b]",
    "{a: b}",
    ".inf",
    "!!int x",
    "!!bool maybe",
    "!!binary aGk=",
    "!!set {a}",
    "!x y",
    "!!python/name:os.system",
    "&a x",
    "*a",
    "'\u200b'",
    "\u202etext",
    "|\n  block",
    ">-\n  folded",
]
ODD = [
    "\u200b",
    "\u202e",
    "\u200f",
    "\x00",
    "\ufeff",
    "\u2028",
    "\x85",
    "\t",
    "\r",
    "\x1b",
    "\ud7ff",
    "é",
    "𝔘",
]
KEYS = ["yes", "1.5", "2021-01-01", "~", "[a]", "{a: b}", "? complex", "<<", "1", "true"]


def mutate(text: str, rnd: random.Random) -> str:
    """One random mutation of a YAML text."""
    lines = text.split("\n")
    op = rnd.choice(["delete", "duplicate", "swap", "value", "odd", "cut", "tag", "anchor", "key"])
    at = rnd.randrange(len(lines))
    if op == "delete" and len(lines) > 1:
        del lines[at]
    elif op == "duplicate":
        lines.insert(at, lines[at])
    elif op == "swap" and len(lines) > 1:
        other = rnd.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif op == "value" and ": " in lines[at]:
        head = lines[at].split(": ", 1)[0]
        lines[at] = f"{head}: {rnd.choice(VALUES)}"
    elif op == "odd":
        position = rnd.randrange(len(lines[at]) + 1)
        lines[at] = lines[at][:position] + rnd.choice(ODD) + lines[at][position:]
    elif op == "cut":
        return "\n".join(lines)[: rnd.randrange(len(text) + 1)]
    elif op == "tag" and ": " in lines[at]:
        head, value = lines[at].split(": ", 1)
        lines[at] = (
            f"{head}: {rnd.choice(['!!str', '!!int', '!!map', '!!seq', '!!binary', '!local', '!!float'])} {value}"
        )
    elif op == "anchor" and ": " in lines[at]:
        head, value = lines[at].split(": ", 1)
        lines[at] = f"{head}: &x {value}"
        lines.append("extra: *x")
    elif op == "key":
        indent = len(lines[at]) - len(lines[at].lstrip(" -"))
        lines.insert(at, " " * indent + f"{rnd.choice(KEYS)}: value")
    return "\n".join(lines)


def _documents() -> dict[str, str]:
    return {
        name: yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        for name, data in minimal_documents().items()
    }


def _load(folder: Path) -> None:
    with contextlib.suppress(DatasetError):
        Catalog.from_path(folder)


def _extend(folder: Path) -> None:
    with contextlib.suppress(DatasetError):
        Catalog.default().extended_with(folder)


def test_mutated_datasets_and_overlays_give_only_dataset_errors(tmp_path: Path) -> None:
    default = Catalog.default()
    before = default.dataset
    rnd = random.Random(SEED)
    clean = _documents()
    for case in range(CASES):
        name = rnd.choice(sorted(clean))
        text = clean[name]
        for _ in range(rnd.randint(1, 3)):
            text = mutate(text, rnd)
        root = write_documents(tmp_path / f"case-{case}", {**clean, name: text})
        overlay = write_documents(
            tmp_path / f"overlay-{case}",
            {name: text}
            if name.startswith("treatments/")
            else {
                name: text,
                "treatments/zeta.yaml": clean["treatments/alpha.yaml"]
                .replace("alpha", "zeta")
                .replace("Alphazol", "Zetazol")
                .replace("AZ-1", "ZZ-1")
                .replace("Alphix", "Zetix"),
            },
        )
        for action, folder in ((_load, root), (_extend, overlay)):
            start = time.perf_counter()
            try:
                action(folder)
            except Exception as error:  # anything but a DatasetError is a fault
                raise AssertionError(
                    f"case {case} (seed {SEED}, {action.__name__}, {name}) raised {type(error).__name__}: {error}\n"
                    f"--- {name} ---\n{text}"
                ) from error
            took = time.perf_counter() - start
            assert took < SLOW, f"case {case} took {took:.1f} s"
    assert Catalog.default() is default
    assert default.dataset is before
