"""Finding treatments and symptoms in free text: quality on an evaluation set, properties, scale."""

from __future__ import annotations

import io
import json
import pickle
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mecfs_treatments as mt
from mecfs_treatments.text import EVERYDAY_WORDS, Matcher, MentionKind

CATALOG = mt.Catalog.default()
EVAL = Path(__file__).parent / "data" / "mentions_eval.txt"
MARK = re.compile(r"\[\[(.+?)\|(.+?)\]\]|\{\{(.+?)\|(.+?)\}\}")


def parse(line: str) -> tuple[str, list[tuple[int, int, str, frozenset[str]]]]:
    """A marked-up passage as plain text and its gold mentions (start, end, kind, ids)."""
    text, gold, at = [], [], 0
    last = 0
    for match in MARK.finditer(line):
        text.append(line[last : match.start()])
        at += match.start() - last
        surface = match.group(1) or match.group(3)
        ids = match.group(2) or match.group(4)
        kind = "treatment" if match.group(1) else "symptom"
        gold.append((at, at + len(surface), kind, frozenset(ids.split(","))))
        text.append(surface)
        at += len(surface)
        last = match.end()
    text.append(line[last:])
    return "".join(text), gold


def _evaluation() -> dict[str, dict[str, int]]:
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in ("treatment", "symptom")}
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, gold = parse(line)
        found = {(m.start, m.end, m.kind.value): set(m.candidates) for m in mt.mentions(text)}
        wanted = {(s, e, k): ids for s, e, k, ids in gold}
        for key, ids in wanted.items():
            if key in found and found[key] & ids:
                counts[key[2]]["tp"] += 1
            else:
                counts[key[2]]["fn"] += 1
        for key, candidates in found.items():
            if key not in wanted or not (wanted[key] & candidates):
                counts[key[2]]["fp"] += 1
    return counts


@pytest.mark.skipif(not EVAL.is_file(), reason="no evaluation set beside the tests")
def test_precision_and_recall_on_the_evaluation_set(capsys: pytest.CaptureFixture[str]) -> None:
    counts = _evaluation()
    with capsys.disabled():
        for kind, c in counts.items():
            precision = c["tp"] / max(1, c["tp"] + c["fp"])
            recall = c["tp"] / max(1, c["tp"] + c["fn"])
            print(f"\n{kind}: precision {precision:.3f}, recall {recall:.3f} ({c})", end="")
        print()
    for kind, c in counts.items():
        assert c["tp"] / (c["tp"] + c["fp"]) >= 0.95, (kind, c)
        assert c["tp"] / (c["tp"] + c["fn"]) >= 0.95, (kind, c)


def test_the_examples_of_the_rules() -> None:
    def found(text: str) -> list[tuple[str, str]]:
        return [(m.text, m.id) for m in mt.mentions(text)]

    assert found("low dose naltrexone") == [("low dose naltrexone", "low-dose-naltrexone")]
    assert found("a target to get up") == []
    assert found("GET made my PEM worse") == [
        ("GET", "graded-exercise-therapy"),
        ("PEM", "post-exertional-malaise"),
    ]
    assert found("the rest of the day, salt and pepper, morning fog") == []
    assert found("two weeks of bed rest") == [("bed rest", "rest-and-convalescence")]
    assert found("pacing the room") == []
    assert found("strict pacing") == [("pacing", "pacing")]
    assert found("beta blockers and LDN's dose") == [
        ("beta blockers", "beta-blockers"),
        ("LDN", "low-dose-naltrexone"),  # the possessive is grammar, not the name
    ]
    (ambiguous,) = mt.mentions("naltrexone")
    assert ambiguous.ambiguous
    assert ambiguous.candidates == ("naltrexone", "low-dose-naltrexone")


NAMES = sorted(
    {
        (name, t.id)
        for t in CATALOG.treatments()
        for name in t.lookup_names
        if name.lower() not in EVERYDAY_WORDS
    }
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(NAMES),
    st.sampled_from(["", "(", "“", "'", "[", " "]),
    st.sampled_from(["", ")", ".", ",", "!", "”", ";", ":"]),
)
def test_every_name_is_found_inside_any_punctuation(pair: tuple[str, str], before: str, after: str) -> None:
    name, treatment_id = pair
    text = f"I tried {before}{name}{after} last year"
    core = name.strip("()[]{}.,;:!?'\"“”‘’ ")  # a name's own outer marks are not part of its words
    if core.lower().startswith("the "):
        core = core[4:]  # nor is a leading article ("The Perrin Technique")
    found = [m for m in mt.mentions(text) if m.text == core]
    assert found, (text, [(m.text, m.id) for m in mt.mentions(text)])
    assert treatment_id in found[0].candidates


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from([n for n, _ in NAMES][:400]), st.text(max_size=12)), max_size=12))
def test_offsets_slice_to_the_text_in_order_without_overlap(pieces: list[str]) -> None:
    text = " ".join(pieces)
    mentions = mt.mentions(text)
    reached = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.start >= reached
        reached = m.end
        assert m.kind in (MentionKind.TREATMENT, MentionKind.SYMPTOM)
        assert m.id == m.candidates[0]
        entry = CATALOG.entry_of(m)
        assert entry.id == m.id


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_the_pure_python_scanner_finds_what_the_automaton_finds(text: str) -> None:
    fast = CATALOG.matcher()
    slow = Matcher(*CATALOG._mention_names(), accelerated=False)
    assert not slow.accelerated
    assert slow.find(text) == fast.find(text)


def test_the_pure_python_scanner_on_real_names() -> None:
    slow = Matcher(*CATALOG._mention_names(), accelerated=False)
    text = " and ".join(name for name, _ in NAMES)
    assert slow.find(text) == CATALOG.matcher().find(text)


def test_matchers_mentions_and_catalogues_pickle() -> None:
    matcher = CATALOG.matcher()
    text = "LDN and Mestinon for my POTS; brain fog"
    again = pickle.loads(pickle.dumps(matcher))
    assert again.find(text) == matcher.find(text)
    mentions = mt.mentions(text)
    assert pickle.loads(pickle.dumps(mentions)) == mentions
    catalog = pickle.loads(pickle.dumps(CATALOG))
    assert catalog.mentions(text) == mentions


def test_mentions_many_reads_an_iterator_one_text_at_a_time() -> None:
    def texts() -> Iterator[str]:
        yield "LDN"
        yield "nothing here"
        yield "brain fog"

    results = mt.mentions_many(texts())
    assert [tuple(m.id for m in r) for r in results] == [
        ("low-dose-naltrexone",),
        (),
        ("cognitive-impairment",),
    ]
    with pytest.raises(TypeError):
        mt.mentions(b"LDN")  # type: ignore[arg-type]


def test_a_partitioned_collection_is_annotated_with_dask() -> None:
    bag = pytest.importorskip("dask.bag")
    posts = [f"post {i}: LDN helped my brain fog; tried Mestinon" for i in range(40)] + ["nothing"] * 10

    def annotate(partition: list[str]) -> list[list[tuple[str, int, int]]]:
        return [[(m.id, m.start, m.end) for m in mt.mentions(post)] for post in partition]

    collection = bag.from_sequence(posts, npartitions=4)
    result = collection.map_partitions(annotate).compute(scheduler="threads")
    assert result == [[(m.id, m.start, m.end) for m in mt.mentions(post)] for post in posts]
    assert result[0] == [
        ("low-dose-naltrexone", 8, 11),
        ("cognitive-impairment", 22, 31),
        ("pyridostigmine", 39, 47),
    ]


# ------------------------------------------------------------------ command line


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mecfs_treatments", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        encoding="utf-8",
    )


def test_the_command_line_reads_standard_input_and_files(tmp_path: Path) -> None:
    text = "Started LDN in May.\nMy brain fog and PEM; Mestinon helped.\n"
    done = _cli("mentions", stdin=text)
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("LDN", "treatment", "low-dose-naltrexone"),
        ("brain fog", "symptom", "cognitive-impairment"),
        ("PEM", "symptom", "post-exertional-malaise"),
        ("Mestinon", "treatment", "pyridostigmine"),
    ]
    for r in rows:
        assert text[int(r[3]) : int(r[4])] == r[0]
    path = tmp_path / "post.txt"
    path.write_text(text, encoding="utf-8")
    as_json = [json.loads(line) for line in _cli("mentions", str(path), "--json").stdout.splitlines()]
    assert [(r["text"], r["start"], r["end"]) for r in as_json] == [
        (r[0], int(r[3]), int(r[4])) for r in rows
    ]
    missing = _cli("mentions", str(tmp_path / "missing.txt"))
    assert missing.returncode == 4
    assert "Traceback" not in missing.stderr


def test_the_command_line_streams_a_large_file_in_bounded_memory(tmp_path: Path) -> None:
    if not Path("/proc/self/status").is_file():
        pytest.skip("the peak memory of a process is read from /proc (Linux)")
    path = tmp_path / "big.txt"
    line = "Day 12: LDN again, brain fog lighter, some PEM after the walk; salt tablets and Mestinon.\n"
    with path.open("w", encoding="utf-8") as stream:
        for _ in range(250_000):  # about 22 MB
            stream.write(line)
    # VmHWM is this process's own peak (ru_maxrss would carry the forking parent's over).
    probe = (
        "import sys, io\n"
        "sys.argv = ['mecfs-treatments', 'mentions', sys.argv[1]]\n"
        "sys.stdout = io.TextIOWrapper(open('/dev/null', 'wb'), encoding='utf-8')\n"
        "from mecfs_treatments.cli import main\n"
        "status = main()\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "sys.stderr.write(peak + ' ' + str(status))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=600
    )
    peak_kib, status = done.stderr.split()[-2:]
    assert status == "0", done.stderr
    assert int(peak_kib) < 120 * 1024, f"peak resident memory {int(peak_kib) // 1024} MiB for a 22 MB file"


def test_the_not_medical_advice_note_is_not_mixed_into_machine_output() -> None:
    out = io.StringIO()
    from mecfs_treatments.cli import main

    assert main(["mentions", "-"], stdout=out) in (0, 4)  # standard input of the test run
    assert mt.NOT_MEDICAL_ADVICE not in out.getvalue()
