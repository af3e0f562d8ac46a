"""A synthetic dataset folder shaped like the bundled one, of any size.

Used by ``benchmarks/run.py`` to show how costs grow with the data (10,000
treatments and 50,000 aliases by default there).  Every file is valid for the
loader: unique ids, names and aliases unique after normalisation, references that
resolve.  The text is made-up words; the layout, field mix and YAML style (block
mappings, flow lists, folded text) follow the real files, at about 2 KB a treatment.

    python benchmarks/synthetic.py FOLDER [--treatments N] [--aliases M]
"""

from __future__ import annotations

import argparse
import random
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Synthetic", "write_dataset"]

_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "cl",
    "tr",
    "pr",
    "st",
    "x",
]
_VOWELS = ["a", "e", "i", "o", "u", "y", "ae", "io"]
_CODAS = ["", "", "n", "l", "r", "x", "m", "s", "t"]
_ENDINGS = ["ine", "ol", "amab", "azole", "ide", "ate", "ex", "on", "ium", "afil"]
_WORDS = (  # noqa: SIM905 - a sentence is easier to read than a column of words
    "the of and a to in is was for on that with as by it from at be this are which or have an not were "
    "patients trial study fatigue pain sleep dose placebo group weeks improvement symptoms reported "
    "effect benefit treatment clinical small open label randomised controlled outcome measure scale"
).split()
_SYMPTOM_DOMAINS = ["fatigue", "post-exertional", "sleep", "cognitive", "pain", "autonomic", "immune", "mood"]
_CATEGORIES = ["drug", "supplement", "hormone", "procedure", "device", "self-management", "biologic"]
_ACCESS = ["prescription", "over-the-counter", "compounded", "clinic"]
_AREAS = ["management", "autonomic", "sleep", "pain", "cognition-fatigue", "mood", "immune", "nutrition"]
_ALIAS_KINDS = ["brand", "generic", "abbreviation", "code-name", "spelling"]
_KINDS = [
    "randomised-trial",
    "open-label-study",
    "observational-study",
    "clinician-report",
    "patient-survey",
    "review",
]
_DIRECTIONS = ["benefit", "mixed", "no-effect", "harm", "unclear"]
_STATUSES = ["established", "proposed", "hypothesis"]
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass
class Synthetic:
    """What :func:`write_dataset` wrote."""

    folder: Path
    treatments: int = 0
    aliases: int = 0
    files: int = 0
    bytes: int = 0
    names: list[str] = field(default_factory=list)
    """Every canonical name and alias, as written."""


def _word(rnd: random.Random, syllables: int) -> str:
    return "".join(rnd.choice(_ONSETS) + rnd.choice(_VOWELS) + rnd.choice(_CODAS) for _ in range(syllables))


def _sentence(rnd: random.Random, words: int) -> str:
    text = " ".join(rnd.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _folded(text: str, indent: int) -> str:
    pad = " " * indent
    return ">-\n" + "\n".join(pad + line for line in textwrap.wrap(text, 80 - indent))


def _unique_names(rnd: random.Random, seen: set[str]) -> Iterator[tuple[str, str]]:
    """Endless (name, kind) pairs whose loose keys were never seen before."""
    makers: list[tuple[str, Callable[[], str]]] = [
        ("brand", lambda: _word(rnd, rnd.randint(2, 3)).capitalize()),
        ("generic", lambda: _word(rnd, rnd.randint(2, 3)) + rnd.choice(_ENDINGS)),
        (
            "abbreviation",
            lambda: "".join(rnd.choice("ABCDEFGHKLMNPRSTVXZ") for _ in range(rnd.randint(3, 5))),
        ),
        (
            "code-name",
            lambda: f"{rnd.choice('ABCKLMRTXZ')}{rnd.choice('ABCKLMRTXZ')}-{rnd.randint(100, 99999)}",
        ),
        ("spelling", lambda: _word(rnd, 2).capitalize() + " " + _word(rnd, 2)),
    ]
    while True:
        kind, make = rnd.choice(makers)
        name = make()
        key = _NOT_ALNUM.sub("", name.lower())
        if key and key not in seen:
            seen.add(key)
            yield name, kind


def write_dataset(
    folder: Path,
    treatments: int = 10_000,
    aliases: int = 50_000,
    *,
    sources: int = 2_000,
    seed: int = 20261121,
) -> Synthetic:
    """Write a valid dataset folder of the given size; returns what was written."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "treatments").mkdir(exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    result = Synthetic(folder=folder)

    def write(rel: str, text: str) -> None:
        data = text.encode("utf-8")
        (folder / rel).write_bytes(data)
        result.files += 1
        result.bytes += len(data)

    write("dataset.yaml", 'title: synthetic dataset\nversion: "0.0.1"\ndate: 2026-01-01\n')

    symptom_ids = [f"symptom-{i}" for i in range(40)]
    lines = []
    for i, symptom_id in enumerate(symptom_ids):
        lines += [
            f"- id: {symptom_id}",
            f"  label: Symptom {_word(rnd, 3)} {i}",
            f"  domain: {rnd.choice(_SYMPTOM_DOMAINS)}",
            f"  synonyms: [{_word(rnd, 2)} {i}, lay {_word(rnd, 2)} {i}]",
            "",
        ]
    write("symptoms.yaml", "\n".join(lines))

    source_ids = [f"source-{i}" for i in range(sources)]
    per_file = 100
    for start in range(0, sources, per_file):
        lines = []
        for source_id in source_ids[start : start + per_file]:
            lines += [
                f"- id: {source_id}",
                f'  title: "{_sentence(rnd, 8)}"',
                f"  kind: {rnd.choice(['journal-article', 'treatment-database', 'guideline'])}",
                f"  year: {rnd.randint(1990, 2026)}",
                f"  url: https://example.org/{source_id}",
                "",
            ]
        write(f"sources/part-{start // per_file:03d}.yaml", "\n".join(lines))

    seen: set[str] = set()
    names = _unique_names(rnd, seen)
    # Aliases spread over the treatments as evenly as whole numbers allow.
    base, extra = divmod(aliases, treatments) if treatments else (0, 0)
    for n in range(treatments):
        name, _ = next(names)
        treatment_id = f"t{n:05d}-" + _NOT_ALNUM.sub("-", name.lower()).strip("-")
        own = [next(names) for _ in range(base + (1 if n < extra else 0))]
        result.names += [name] + [alias for alias, _ in own]
        result.aliases += len(own)
        refs = rnd.sample(source_ids, 3)
        lines = [
            f"id: {treatment_id}",
            f"name: {name}",
            "aliases:",
            *(f"  - {{name: {alias}, kind: {kind}}}" for alias, kind in own),
            f"category: {rnd.choice(_CATEGORIES)}",
            f"access: [{', '.join(rnd.sample(_ACCESS, 2))}]",
            f"areas: [{', '.join(rnd.sample(_AREAS, 2))}]",
            f"summary: {_folded(_sentence(rnd, 40), 2)}",
            f"sources: [{refs[0]}, {refs[1]}]",
            "uses:",
            f"  - text: {_sentence(rnd, 9)}",
            f"    sources: [{refs[0]}]",
            "mechanisms:",
            f"  - name: {_word(rnd, 2).capitalize()} pathway",
            f"    description: {_folded(_sentence(rnd, 24), 6)}",
            f"    status: {rnd.choice(_STATUSES)}",
            f"    sources: [{refs[1]}]",
            "targets:",
        ]
        for symptom_id in rnd.sample(symptom_ids, 3):
            lines += [f"  - symptom: {symptom_id}", f"    sources: [{refs[0]}]"]
        lines.append("evidence:")
        for _ in range(2):
            lines += [
                f"  - kind: {rnd.choice(_KINDS)}",
                f"    direction: {rnd.choice(_DIRECTIONS)}",
                f"    summary: {_folded(_sentence(rnd, 26), 6)}",
                f"    participants: {rnd.randint(5, 500)}",
                f"    year: {rnd.randint(1990, 2026)}",
                f"    sources: [{refs[2]}]",
            ]
        write(f"treatments/{treatment_id}.yaml", "\n".join(lines) + "\n")
        result.treatments += 1
    return result


def main() -> None:
    """Command line: write a synthetic dataset folder."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--treatments", type=int, default=10_000)
    parser.add_argument("--aliases", type=int, default=50_000)
    args = parser.parse_args()
    made = write_dataset(args.folder, args.treatments, args.aliases)
    print(
        f"{made.treatments} treatments, {made.aliases} aliases, {made.files} files, {made.bytes / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
