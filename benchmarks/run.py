"""Benchmarks of mecfs_treatments beside the libraries people use for lookups.

Everything is measured in one run, in interleaved rounds, so that the machine's
noise hits every figure alike; the table gives our figures, the anchor's (or the
floor's) and their ratio.  Anchors: pycountry (``import`` + ``countries.lookup``,
``search_fuzzy``), ``zoneinfo`` with tzdata, and a bare ``dict`` lookup with
``str.casefold()`` as the floor.  Cold figures are medians over fresh processes
minus a bare interpreter start; warm figures are medians over batches of many calls.

    nox -s bench                      # installs the package and the anchors, then runs this
    python benchmarks/run.py --quick  # fewer rounds, smaller synthetic dataset

Exits with status 1, naming each target missed, if any target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_dataset

import mecfs_treatments
from mecfs_treatments import Catalog, UnknownTreatmentError

PACKAGE_DATA = Path(mecfs_treatments.__file__).resolve().parent / "data"

MiB = 1024 * 1024


# ------------------------------------------------------------------ the machine


def machine() -> str:
    """One line naming the machine and the interpreter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"mecfs_treatments {mecfs_treatments.__version__}, dataset {mecfs_treatments.dataset_info().version}"
    )


def has(module: str) -> bool:
    """Whether an anchor library is installed."""
    import importlib.util

    return importlib.util.find_spec(module) is not None


# --------------------------------------------------------------------- cold runs

RSS = (
    "def _rss():\n"
    "    try:\n"
    "        for line in open('/proc/self/status'):\n"
    "            if line.startswith('VmRSS:'):\n"
    "                return int(line.split()[1]) * 1024\n"
    "    except OSError:\n"
    "        pass\n"
    "    import resource\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
)


def cold_snippets(plain_json: Path) -> dict[str, str]:
    """Code for fresh interpreters, by name."""
    snippets = {
        "bare": "pass",
        "ours": "import mecfs_treatments as m; m.get('Pitocin')",
        "ours import": "import mecfs_treatments",
        "ours yaml": (
            "import mecfs_treatments as m; from mecfs_treatments.load import load_folder; "
            "from importlib.resources import files; m.Catalog(load_folder(files('mecfs_treatments') / 'data')).get('Pitocin')"
        ),
        "ours validated json": (
            "import json, mecfs_treatments as m; from mecfs_treatments.export import dataset_from_data; "
            f"m.Catalog(dataset_from_data(json.loads(open({str(plain_json)!r}, 'rb').read()))).get('Pitocin')"
        ),
        "attrs": "import attrs",
        "importlib.resources": "import importlib.resources",
        "yaml": "import yaml",
    }
    if has("pycountry"):
        snippets["pycountry"] = "import pycountry; pycountry.countries.lookup('Germany')"
        snippets["pycountry import"] = "import pycountry"
    if has("tzdata"):
        # Only the tzdata package, not the system's zone files.
        snippets["zoneinfo"] = (
            "import zoneinfo; zoneinfo.reset_tzpath(to=[]); zoneinfo.ZoneInfo('Europe/Berlin')"
        )
    return snippets


def memory_snippets() -> dict[str, str]:
    """Code that prints its resident memory after loading, by name."""
    snippets = {
        "bare": RSS + "print(_rss())",
        # Every record decoded and the suggestion index built, as a long-running app has them.
        "ours": RSS
        + "import mecfs_treatments as m; m.get('Pitocin'); m.suggest('x'); m.treatments(); print(_rss())",
        # ... and the word index of search and the matcher of mentions, each built on first use.
        "ours search": RSS
        + "import mecfs_treatments as m; m.get('Pitocin'); m.suggest('x'); m.treatments(); m.search('sleep'); print(_rss())",
        "ours mentions": RSS
        + "import mecfs_treatments as m; m.get('Pitocin'); m.suggest('x'); m.treatments(); m.mentions('LDN'); print(_rss())",
    }
    if has("pycountry"):
        snippets["pycountry"] = RSS + "import pycountry; pycountry.countries.lookup('Germany'); print(_rss())"
    return snippets


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Bytecode caches are allowed, as in any installed package.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_cold(snippets: dict[str, str], rounds: int, seed: int = 1) -> dict[str, float]:
    """Median wall seconds of each snippet over ``rounds`` fresh processes, run in shuffled rounds."""
    env = child_env()
    names = list(snippets)
    for name in names:  # warm the disk cache and write the bytecode caches
        subprocess.run([sys.executable, "-c", snippets[name]], check=True, env=env, capture_output=True)
    times: dict[str, list[float]] = {name: [] for name in names}
    order = random.Random(seed)
    for _ in range(rounds):
        order.shuffle(names)
        for name in names:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", snippets[name]], check=True, env=env, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def run_memory(snippets: dict[str, str], rounds: int) -> dict[str, float]:
    """Median resident memory, in bytes, printed by each snippet."""
    env = child_env()
    found: dict[str, list[int]] = {name: [] for name in snippets}
    for _ in range(rounds):
        for name, code in snippets.items():
            out = subprocess.run(
                [sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True
            )
            found[name].append(int(out.stdout.split()[-1]))
    return {name: statistics.median(values) for name, values in found.items()}


# --------------------------------------------------------------------- warm runs


def per_call(batches: dict[str, Callable[[], int]], rounds: int) -> dict[str, float]:
    """Median seconds per call of each batch (a batch returns how many calls it made), interleaved."""
    times: dict[str, list[float]] = {name: [] for name in batches}
    for batch in batches.values():
        batch()  # warm up
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            for name, batch in batches.items():
                start = time.perf_counter()
                calls = batch()
                times[name].append((time.perf_counter() - start) / calls)
    finally:
        if gc_was:
            gc.enable()
    return {name: statistics.median(values) for name, values in times.items()}


def mixed_case(names: Sequence[str], rnd: random.Random) -> list[str]:
    """Each name as written, lower, UPPER, Title, or with random letters upper-cased."""
    result = []
    for name in names:
        form = rnd.randrange(5)
        if form == 0:
            result.append(name)
        elif form == 1:
            result.append(name.lower())
        elif form == 2:
            result.append(name.upper())
        elif form == 3:
            result.append(name.title())
        else:
            result.append("".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in name))
    return result


def typo(name: str, rnd: random.Random) -> str:
    """The name with one letter changed."""
    at = rnd.randrange(len(name))
    return name[:at] + rnd.choice("abcdefghijklmnopqrstuvwxyz") + name[at + 1 :]


def lookup_batches(catalog: Catalog, queries: list[str], public: bool) -> dict[str, Callable[[], int]]:
    """The floor and our get, over the same queries."""
    floor = {mecfs_treatments.normalize(n): t.id for t in catalog.treatments() for n in (t.id, *t.names)}
    get = mecfs_treatments.get if public else catalog.get

    def floor_batch() -> int:
        lookup = floor.get
        for query in queries:
            lookup(query.casefold())
        return len(queries)

    def ours_batch() -> int:
        for query in queries:
            get(query)
        return len(queries)

    return {"floor": floor_batch, "ours": ours_batch}


# ------------------------------------------------------------------------ table


@dataclass
class Row:
    """One line of the table."""

    measure: str
    ours: str
    anchor: str
    ratio: float | None
    target: str
    met: bool | None


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.2f} µs" if seconds < 1e-3 else ms(seconds)


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    head = ["Measure", "mecfs_treatments", "Anchor / floor", "Ratio", "Target", "Met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.3g}"
        met = "" if row.met is None else ("yes" if row.met else "**NO**")
        lines.append(f"| {row.measure} | {row.ours} | {row.anchor} | {ratio} | {row.target} | {met} |")
    return "\n".join(lines)


# ------------------------------------------------------------------------- main


def warm_large(folder: Path) -> dict[str, float]:
    """Seconds per call of the floor, ``Catalog.get`` and a miss, over a dataset folder loaded once."""
    catalog = Catalog.from_path(folder)
    rnd = random.Random(7)
    names = sorted({n for t in catalog.treatments() for n in (t.id, *t.names)})
    queries = mixed_case([rnd.choice(names) for _ in range(2_000)], rnd)
    batches = lookup_batches(catalog, queries, public=False)
    start = time.perf_counter()
    catalog.suggest("zzzz")  # the first miss builds the n-gram index
    first = time.perf_counter() - start
    typos = [typo(rnd.choice(names), rnd) + "x" for _ in range(100)]

    def misses() -> int:
        for query in typos:
            with contextlib.suppress(UnknownTreatmentError):
                catalog.get(query)
        return len(typos)

    gc.collect()
    # Misses apart: each walks megabytes of n-gram postings, which would evict the
    # lookup tables between the batches of lookups.
    result = per_call(batches, 7)
    result.update(per_call({"miss": misses}, 7))
    result["first miss"] = first
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark, print the table, return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds and a 1,000-treatment synthetic dataset"
    )
    parser.add_argument("--no-large", action="store_true", help="skip the large synthetic dataset")
    parser.add_argument("--treatments", type=int, default=None, help="synthetic treatments (default 10,000)")
    parser.add_argument("--aliases-per-treatment", type=int, default=5)
    parser.add_argument(
        "--markdown", type=Path, help="also write the machine line and the table to this file"
    )
    parser.add_argument("--warm-large", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.warm_large:
        print(json.dumps(warm_large(args.warm_large)))
        return 0
    cold_rounds = 5 if args.quick else 21
    warm_rounds = 5 if args.quick else 15
    large_rounds = 1 if args.quick else 3
    treatments = args.treatments or (1_000 if args.quick else 10_000)
    rnd = random.Random(20261121)
    rows: list[Row] = []
    notes: list[str] = []
    started = time.perf_counter()

    print(f"Machine: {machine()}", flush=True)
    catalog = Catalog.default()
    names = sorted({n for t in catalog.treatments() for n in (t.id, *t.names)})

    with tempfile.TemporaryDirectory(prefix="mecfs-bench-") as tmp:
        # ---------------------------------------------------------------- cold
        from mecfs_treatments.export import dataset_to_data

        plain_json = Path(tmp, "plain.json")
        plain_json.write_text(json.dumps(dataset_to_data(catalog.dataset)), encoding="utf-8")
        print("cold starts…", flush=True)
        cold = run_cold(cold_snippets(plain_json), cold_rounds)
        bare = cold["bare"]

        def over(name: str) -> float:
            return cold[name] - bare

        from mecfs_treatments import _snapshot

        snapshot = _snapshot.open_bundled() is not None
        if not snapshot:
            notes.append(
                "no snapshot in this copy of the package (not installed from a wheel): cold figures read YAML"
            )
        if "pycountry" in cold:
            ratio = over("ours") / over("pycountry")
            rows.append(
                Row(
                    "cold `import` + first `get('Pitocin')`, minus bare start",
                    ms(over("ours")),
                    f"pycountry `import` + `lookup`: {ms(over('pycountry'))}",
                    ratio,
                    "≤ 1",
                    ratio <= 1,
                )
            )
            rows.append(
                Row(
                    "cold `import` alone, minus bare start",
                    ms(over("ours import")),
                    f"pycountry `import`: {ms(over('pycountry import'))}",
                    over("ours import") / over("pycountry import"),
                    "",
                    None,
                )
            )
        if "zoneinfo" in cold:
            rows.append(
                Row(
                    "cold first lookup, minus bare start (zoneinfo + tzdata)",
                    ms(over("ours")),
                    f"`ZoneInfo('Europe/Berlin')`: {ms(over('zoneinfo'))}",
                    over("ours") / over("zoneinfo"),
                    "",
                    None,
                )
            )
        if snapshot:
            import zlib

            from mecfs_treatments import _snapshot as snapshot_module

            raw = (PACKAGE_DATA / snapshot_module.FILE_NAME).read_bytes()
            body = raw[raw.index(b"\n") + 1 :]
            start = time.perf_counter()
            for _ in range(50):
                zlib.adler32(body)
            check = (time.perf_counter() - start) / 50
            rows.append(
                Row(
                    f"checksum of the snapshot at start ({len(body) / 1e6:.1f} MB, once a process)",
                    ms(check),
                    f"our `import` + first `get`: {ms(over('ours'))}",
                    check / over("ours"),
                    "",
                    None,
                )
            )
        rows.append(
            Row(
                "cold first `get` reading the YAML instead (source tree)",
                ms(over("ours yaml")),
                f"our snapshot: {ms(over('ours'))}",
                over("ours yaml") / over("ours"),
                "",
                None,
            )
        )
        rows.append(
            Row(
                "cold first `get` from JSON re-validated at load",
                ms(over("ours validated json")),
                f"our trusted snapshot: {ms(over('ours'))}",
                over("ours validated json") / over("ours"),
                "",
                None,
            )
        )
        for module in ("attrs", "importlib.resources", "yaml"):
            rows.append(
                Row(
                    f"cold `import {module}` alone, minus bare start",
                    ms(over(module)),
                    f"our `import` + first `get`: {ms(over('ours'))}",
                    over(module) / over("ours"),
                    "",
                    None,
                )
            )

        memory = run_memory(memory_snippets(), 3 if args.quick else 5)
        grown = memory["ours"] - memory["bare"]
        anchor = (
            f"pycountry: {(memory['pycountry'] - memory['bare']) / MiB:.1f} MiB"
            if "pycountry" in memory
            else ""
        )
        rows.append(
            Row(
                "memory after loading the bundled data (every record, suggestion index), above bare",
                f"{grown / MiB:.1f} MiB",
                anchor,
                None,
                "≤ 12 MiB",
                grown <= 12 * MiB,
            )
        )
        for name, what in (("ours search", "search's word index"), ("ours mentions", "the mentions matcher")):
            if name in memory:
                rows.append(
                    Row(
                        f"memory {what} adds, built on first use",
                        f"{(memory[name] - memory['ours']) / MiB:.1f} MiB",
                        "",
                        None,
                        "",
                        None,
                    )
                )

        # ---------------------------------------------------------------- warm
        print("warm lookups…", flush=True)
        queries = mixed_case([rnd.choice(names) for _ in range(2_000)], rnd)
        public = lookup_batches(catalog, queries, public=True)
        method = lookup_batches(catalog, queries, public=False)
        batches: dict[str, Callable[[], int]] = {
            "floor": public["floor"],
            "get": public["ours"],
            "Catalog.get": method["ours"],
        }

        def for_symptom() -> int:
            f = mecfs_treatments.for_symptom
            for _ in range(1_000):
                f("brain fog")
            return 1_000

        def miss() -> int:
            for _ in range(50):
                with contextlib.suppress(UnknownTreatmentError):
                    mecfs_treatments.get("naltrexon")
            return 50

        batches["for_symptom"] = for_symptom
        search_queries = [
            "sleep",
            "antiviral",
            "beta blocker",
            "pain",
            "naltrex",
            "brain fog",
            "LDN",
            "mestinon",
        ]

        def search_now() -> int:
            for query in search_queries:
                catalog.search(query)
            return len(search_queries)

        def search_names_only() -> int:
            # What search did before it looked beyond names: the name ranking alone.
            ranked = catalog._names.ranked
            for query in search_queries:
                ranked(query)
            return len(search_queries)

        catalog.search("warm")  # the text index is built on first use
        batches["search"] = search_now
        batches["search names only"] = search_names_only
        batches["miss"] = miss
        if has("pycountry"):
            import importlib

            pycountry = importlib.import_module("pycountry")  # typed or not, depending on its version

            countries = mixed_case([c.name for c in pycountry.countries], rnd)

            def pycountry_lookup() -> int:
                lookup = pycountry.countries.lookup
                for name in countries:
                    lookup(name)
                return len(countries)

            def pycountry_fuzzy() -> int:
                for _ in range(3):
                    with contextlib.suppress(LookupError):
                        pycountry.countries.search_fuzzy("Germny")
                return 3

            batches["pycountry lookup"] = pycountry_lookup
            batches["pycountry fuzzy"] = pycountry_fuzzy
        if has("tzdata"):
            import zoneinfo

            def zone() -> int:
                for _ in range(1_000):
                    zoneinfo.ZoneInfo("Europe/Berlin")
                return 1_000

            batches["zoneinfo"] = zone
        warm = per_call(batches, warm_rounds)
        floor = warm["floor"]
        ratio = warm["get"] / floor
        rows.append(
            Row(
                "warm `get` by name or alias, mixed casing",
                us(warm["get"]),
                f"dict + `casefold()`: {us(floor)}",
                ratio,
                "≤ 5 × floor",
                ratio <= 5,
            )
        )
        rows.append(
            Row(
                "warm `Catalog.get`, same queries",
                us(warm["Catalog.get"]),
                f"dict + `casefold()`: {us(floor)}",
                warm["Catalog.get"] / floor,
                "",
                None,
            )
        )
        if "pycountry lookup" in warm:
            rows.append(
                Row(
                    "warm lookup, mixed casing (pycountry `lookup`)",
                    us(warm["get"]),
                    f"pycountry: {us(warm['pycountry lookup'])}",
                    warm["get"] / warm["pycountry lookup"],
                    "",
                    None,
                )
            )
        if "zoneinfo" in warm:
            rows.append(
                Row(
                    "warm lookup (cached `ZoneInfo`)",
                    us(warm["get"]),
                    f"zoneinfo: {us(warm['zoneinfo'])}",
                    warm["get"] / warm["zoneinfo"],
                    "",
                    None,
                )
            )
        rows.append(
            Row(
                "warm `search` (names, then class, symptoms, uses, summary)",
                us(warm["search"]),
                f"names only, as search was: {us(warm['search names only'])}",
                warm["search"] / warm["search names only"],
                "",
                None,
            )
        )
        rows.append(
            Row(
                "warm `for_symptom('brain fog')`",
                us(warm["for_symptom"]),
                "",
                None,
                "< 2 µs",
                warm["for_symptom"] < 2e-6,
            )
        )
        if "pycountry fuzzy" in warm:
            ratio = warm["miss"] / warm["pycountry fuzzy"]
            rows.append(
                Row(
                    "miss with suggestions, `get('naltrexon')`",
                    us(warm["miss"]),
                    f"pycountry `search_fuzzy('Germny')`: {us(warm['pycountry fuzzy'])}",
                    ratio,
                    "≤ 1/50 (0.02)",
                    ratio <= 0.02,
                )
            )

        # -------------------------------------------------------- resolve_many
        print("resolve_many over 1,000,000 names…", flush=True)
        hits = mixed_case([rnd.choice(names) for _ in range(900_000)], rnd)
        misses = [typo(rnd.choice(names), rnd) + "q" for _ in range(100_000)]
        column = hits + misses
        rnd.shuffle(column)
        floor_map = {
            mecfs_treatments.normalize(n): t.id for t in catalog.treatments() for n in (t.id, *t.names)
        }
        durations: dict[str, list[float]] = {"ours": [], "floor": []}
        for _ in range(3 if args.quick else 5):
            start = time.perf_counter()
            resolved = catalog.resolve_many(column)
            durations["ours"].append(time.perf_counter() - start)
            start = time.perf_counter()
            get = floor_map.get
            [get(name.casefold()) for name in column]
            durations["floor"].append(time.perf_counter() - start)
        rate = len(column) / statistics.median(durations["ours"])
        floor_rate = len(column) / statistics.median(durations["floor"])
        found = sum(r is not None for r in resolved) / len(column)
        rows.append(
            Row(
                f"`resolve_many`, 1,000,000 names ({found:.0%} found, mixed casing)",
                f"{rate / 1e6:.2f} M names/s",
                f"dict + `casefold()`: {floor_rate / 1e6:.2f} M/s",
                rate / floor_rate,
                "≥ 2 M names/s",
                rate >= 2e6,
            )
        )
        del column, hits, misses, resolved

        # -------------------------------------------------------------- mentions
        print("mentions in 10 MB of text…", flush=True)
        rows += mention_rows(catalog, 3 if args.quick else 5)

        # ----------------------------------------------------------------- large
        if not args.no_large:
            aliases = treatments * args.aliases_per_treatment
            print(f"synthetic dataset: {treatments:,} treatments, {aliases:,} aliases…", flush=True)
            made = write_dataset(Path(tmp, "large"), treatments, aliases)
            rows += large(made.folder, treatments, aliases, made.bytes, large_rounds)

    print()
    print(f"Machine: {machine()}")
    print(
        f"Bare interpreter start: {ms(bare)}; cold figures are medians of {cold_rounds} fresh processes, "
        f"warm ones of {warm_rounds} batches; ratios are ours / anchor. Run took {time.perf_counter() - started:.0f} s."
    )
    for note in notes:
        print(f"Note: {note}")
    print()
    text = table(rows)
    print(text)
    if args.markdown:
        args.markdown.write_text(f"Machine: {machine()}\n\n{text}\n", encoding="utf-8")
    missed = [row for row in rows if row.met is False]
    for row in missed:
        print(
            f"MISSED: {row.measure}: {row.ours} (ratio {row.ratio:.3g}) against target {row.target}"
            if row.ratio is not None
            else f"MISSED: {row.measure}: {row.ours} against target {row.target}",
            file=sys.stderr,
        )
    return 1 if missed else 0


def prose(catalog: Catalog, size: int = 10_000_000, seed: int = 20261130) -> list[str]:
    """About ``size`` characters of English prose in posts of a few sentences, made reproducibly
    from the dataset's own text (summaries, findings, mechanisms, notes, uses)."""
    sentences: list[str] = []
    for t in catalog.treatments():
        texts = [t.summary, *(e.summary for e in t.evidence), *(m.description for m in t.mechanisms)]
        texts += [n.text for n in t.notes] + [c.text for c in (*t.uses, *t.side_effects)]
        for text in texts:
            sentences += [part.strip() + "." for part in text.split(". ") if part.strip()]
    rnd = random.Random(seed)
    posts, total = [], 0
    while total < size:
        post = " ".join(rnd.choice(sentences) for _ in range(rnd.randint(2, 6)))
        posts.append(post)
        total += len(post) + 1
    return posts


def mention_rows(catalog: Catalog, rounds: int) -> list[Row]:
    """mentions() beside pyahocorasick (lower case, whole words) and flashtext, on the same names."""
    import tracemalloc

    from mecfs_treatments.text import Matcher

    posts = prose(catalog)
    megabytes = sum(len(p) + 1 for p in posts) / 1e6
    names = sorted(
        {n.lower() for t in catalog.treatments() for n in t.lookup_names}
        | {n.lower() for s in catalog.symptoms() for n in s.names}
    )
    catalog.treatments()  # the records decoded, so that building the matcher is timed alone
    builds = []
    for _ in range(rounds):
        start = time.perf_counter()
        matcher = Matcher(*catalog._mention_names())
        builds.append(time.perf_counter() - start)
    tracemalloc.start()  # apart: tracing slows every allocation
    held = Matcher(*catalog._mention_names())
    peak = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del held
    timings: dict[str, list[float]] = {"ours": [], "pyahocorasick": [], "flashtext": []}
    found = {}
    for _ in range(rounds):
        start = time.perf_counter()
        found["ours"] = sum(len(m) for m in matcher.find_many(posts))
        timings["ours"].append(time.perf_counter() - start)
    if has("ahocorasick"):
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for name in names:
            automaton.add_word(name, len(name))
        automaton.make_automaton()
        for _ in range(rounds):
            start = time.perf_counter()
            count = 0
            for post in posts:
                lowered = post.lower()
                size = len(lowered)
                for end, length in automaton.iter(lowered):
                    begin = end - length + 1
                    if (begin == 0 or not lowered[begin - 1].isalnum()) and (
                        end + 1 == size or not lowered[end + 1].isalnum()
                    ):
                        count += 1
            found["pyahocorasick"] = count
            timings["pyahocorasick"].append(time.perf_counter() - start)
    if has("flashtext"):
        from flashtext import KeywordProcessor

        processor = KeywordProcessor()
        for name in names:
            processor.add_keyword(name)
        for _ in range(max(1, rounds // 2)):
            start = time.perf_counter()
            found["flashtext"] = sum(len(processor.extract_keywords(post)) for post in posts)
            timings["flashtext"].append(time.perf_counter() - start)
    rate = {k: megabytes / statistics.median(v) for k, v in timings.items() if v}
    rows = [
        Row(
            f"`mentions`: build the matcher ({len(matcher._patterns):,} name forms), first use",
            ms(statistics.median(builds)),
            f"held: {peak / MiB:.1f} MiB",
            None,
            "< 20 ms, < 5 MiB",
            statistics.median(builds) < 0.020 and peak < 5 * MiB,
        )
    ]
    if "pyahocorasick" in rate:
        ratio = rate["ours"] / rate["pyahocorasick"]
        rows.append(
            Row(
                f"`mentions_many` over {megabytes:.0f} MB of prose ({found['ours']:,} mentions)",
                f"{rate['ours']:.1f} MB/s",
                f"pyahocorasick, lower case, whole words: {rate['pyahocorasick']:.1f} MB/s",
                ratio,
                "≥ 0.5",
                ratio >= 0.5,
            )
        )
    if "flashtext" in rate:
        ratio = rate["ours"] / rate["flashtext"]
        rows.append(
            Row(
                f"`mentions_many` over {megabytes:.0f} MB of prose",
                f"{rate['ours']:.1f} MB/s",
                f"flashtext: {rate['flashtext']:.1f} MB/s",
                ratio,
                "≥ 2",
                ratio >= 2,
            )
        )
    return rows


def large(folder: Path, treatments: int, aliases: int, size: int, rounds: int) -> list[Row]:
    """Rows for the synthetic dataset: loading against bare C-YAML parsing, warm get, misses."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = sorted(folder.rglob("*.yaml"))
    times: dict[str, list[float]] = {"parse": [], "from_path": []}
    catalog = None
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for file in files:
            yaml.load(file.read_bytes().decode("utf-8"), Loader=loader)
        times["parse"].append(time.perf_counter() - start)
        catalog = None
        gc.collect()
        start = time.perf_counter()
        catalog = Catalog.from_path(folder)
        times["from_path"].append(time.perf_counter() - start)
    assert catalog is not None
    parse = statistics.median(times["parse"])
    load = statistics.median(times["from_path"])
    label = f"{treatments:,} treatments, {aliases:,} aliases ({size / 1e6:.0f} MB of YAML)"
    rows = [
        Row(
            f"{label}: `Catalog.from_path`",
            f"{load:.2f} s",
            f"bare C-YAML parse: {parse:.2f} s",
            load / parse,
            "≤ 1.5 × parse",
            load / parse <= 1.5,
        )
    ]

    from mecfs_treatments import _snapshot

    text = _snapshot.dumps(catalog.dataset)
    start = time.perf_counter()
    Catalog(_snapshot.loads(text))
    snapshot = time.perf_counter() - start
    rows.append(
        Row(
            f"{label}: load from a snapshot",
            f"{snapshot:.2f} s",
            f"bare C-YAML parse: {parse:.2f} s",
            snapshot / parse,
            "",
            None,
        )
    )

    # Warm figures in a fresh process that loads the folder once: the rounds above
    # leave gigabytes of freed parse trees behind, which slow every memory access.
    del catalog
    gc.collect()
    out = subprocess.run(
        [sys.executable, __file__, "--warm-large", str(folder)], check=True, capture_output=True, text=True
    ).stdout
    warm = json.loads(out.splitlines()[-1])
    first = warm["first miss"]
    rows.append(
        Row(
            f"{treatments:,} treatments: warm `Catalog.get`, mixed casing",
            us(warm["ours"]),
            f"dict + `casefold()`: {us(warm['floor'])}",
            warm["ours"] / warm["floor"],
            "< 1 µs",
            warm["ours"] < 1e-6,
        )
    )
    rows.append(
        Row(
            f"{treatments:,} treatments: miss with suggestions (typos)",
            us(warm["miss"]),
            f"first miss, building the index: {us(first)}",
            None,
            "< 5 ms",
            warm["miss"] < 5e-3,
        )
    )
    return rows


if __name__ == "__main__":
    sys.exit(main())
