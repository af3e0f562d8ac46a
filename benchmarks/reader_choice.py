"""cattrs against the library's own generic reader, on the 10,000-treatment synthetic dataset.

Both get the same parsed files and build the same records; the script times the
building alone (parsing is the same for both), checks that both build equal
treatments, and prints what each says about the same faults.  It is how the
choice of reader was made; rerun it to check the choice still holds:

    python benchmarks/reader_choice.py [--treatments N]

Needs ``cattrs`` (in the ``bench`` dependency group).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from synthetic import write_dataset

from mecfs_treatments import DatasetError, Source, Symptom, Treatment
from mecfs_treatments._yaml import parse_yaml
from mecfs_treatments.folder import read_folder
from mecfs_treatments.load import read_dataset
from mecfs_treatments.read import Reader


def cattrs_reader(sources: dict[str, Source], symptoms: dict[str, Symptom]) -> Any:
    """A cattrs converter with the same conversions: ids to records, text tidied, no extra keys."""
    import cattrs

    converter = cattrs.Converter(forbid_extra_keys=True)

    def text(value: object, _: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"expected non-empty text, got {value!r}")
        return " ".join(value.split())

    def date(value: object, _: object) -> dt.date:
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value))

    converter.register_structure_hook(str, text)
    converter.register_structure_hook(dt.date, date)
    converter.register_structure_hook(Source, lambda value, _: sources[value])
    converter.register_structure_hook(Symptom, lambda value, _: symptoms[value])
    return converter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treatments", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    import cattrs

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with tempfile.TemporaryDirectory(prefix="mecfs-reader-") as tmp:
        made = write_dataset(Path(tmp, "data"), args.treatments, args.treatments * 5)
        files = sorted(made.folder.rglob("*.yaml"))
        start = time.perf_counter()
        for file in files:
            yaml.load(file.read_text(encoding="utf-8"), Loader=loader)
        bare = time.perf_counter() - start
        documents = read_folder(made.folder)  # our parser: the reader's input
        plain = {
            str(f.relative_to(made.folder)): yaml.load(f.read_text("utf-8"), Loader=loader) for f in files
        }
        ours_times, cattrs_times, ours_treatments = [], [], []
        dataset = None
        gc.disable()
        try:
            for _ in range(args.rounds):
                start = time.perf_counter()
                dataset = read_dataset(documents)
                ours_times.append(time.perf_counter() - start)
                sources = {s.id: s for s in dataset.sources}
                symptoms = {s.id: s for s in dataset.symptoms}
                reader = Reader(sources, symptoms)
                start = time.perf_counter()
                for rel, data in documents.treatments:
                    reader.record(Treatment, data, file=rel, entry=None)
                ours_treatments.append(time.perf_counter() - start)
                converter = cattrs_reader(sources, symptoms)
                start = time.perf_counter()
                built = [
                    converter.structure(data, Treatment)
                    for rel, data in plain.items()
                    if rel.startswith("treatments")
                ]
                cattrs_times.append(time.perf_counter() - start)
        finally:
            gc.enable()
        assert dataset is not None
        assert sorted(built, key=lambda t: t.id) == list(dataset.treatments), "the two readers disagree"
        ours, theirs = statistics.median(ours_times), statistics.median(cattrs_times)
        treatments_only = statistics.median(ours_treatments)
        print(f"{args.treatments:,} treatments; bare C-YAML parse of the files: {bare:.2f} s")
        print(f"our reader (every record, with rules and checks): {ours:.2f} s = {ours / bare:.2f} x parse")
        print(
            f"our reader, treatments only (rules, no checks):   {treatments_only:.2f} s = {treatments_only / bare:.2f} x parse"
        )
        print(
            f"cattrs, treatments only (no rules, no checks):    {theirs:.2f} s = {theirs / bare:.2f} x parse"
        )

        broken = dict(plain["treatments/" + dataset.treatments[0].id + ".yaml"])
        broken["evidnce"] = broken.pop("evidence", [])
        broken["aliases"] = [{"name": "x", "kind": "brandname"}]
        print("\nThe same two faults (a misspelt field, an unknown alias kind):")
        try:
            converter.structure(broken, Treatment)
        except Exception as error:  # cattrs raises an exception group
            print("  cattrs:", "; ".join(cattrs.transform_error(error)))
        rel = "treatments/" + dataset.treatments[0].id + ".yaml"
        text = yaml.safe_dump(broken)
        try:
            read_dataset(
                documents.__class__(
                    dataset=documents.dataset,
                    symptoms=documents.symptoms,
                    sources=documents.sources,
                    treatments=((rel, parse_yaml(text, rel)),),
                )
            )
        except DatasetError as error:
            print("  ours:  ", error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
