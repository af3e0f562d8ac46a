"""Hostile and broken input in a user's folder: each gives a DatasetError naming the file and the place.

Every case is tried twice: as a file of a whole dataset folder (``Catalog.from_path``)
and as a file of an overlay folder (``Catalog.default().extended_with``).  Large
inputs run in a child process, which measures its own peak memory; a child that
crashed or hung would fail the test instead of the test run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mecfs_treatments
from mecfs_treatments import Catalog, DatasetError
from mecfs_treatments._yaml import MAX_FILE_BYTES, MAX_NODES, parse_yaml

from .conftest import minimal_documents, write_documents

PLACE = re.compile(r"\(line \d+(, column \d+)?\)")
MARKER = "ran-hostile-code"

# (case id, file, content, words in the problem, a line/column must be named)
Case = tuple[str, str, "str | bytes", str, bool]
CASES: list[Case] = [
    (
        "python-apply",
        "treatments/evil.yaml",
        f"!!python/object/apply:os.system ['touch {MARKER}']\n",
        "tag",
        True,
    ),
    (
        "python-new",
        "treatments/evil.yaml",
        f"id: evil\nname: !!python/object/new:os.system [touch {MARKER}]\n",
        "tag",
        True,
    ),
    ("python-name", "treatments/evil.yaml", "id: !!python/name:os.system\n", "tag", True),
    ("python-module", "treatments/evil.yaml", "id: !!python/module:os\n", "tag", True),
    ("local-tag", "treatments/evil.yaml", "id: !evil x\n", "tag", True),
    ("binary-tag", "treatments/evil.yaml", "id: evil\nname: !!binary aGk=\n", "tag", True),
    ("set-tag", "sources/evil.yaml", "- !!set {a, b}\n", "tag", True),
    ("merge-key", "treatments/evil.yaml", "a: &a {k: v}\nb:\n  <<: *a\n", "", True),
    ("one-alias", "treatments/evil.yaml", "id: &x evil\nname: *x\n", "anchors and aliases", True),
    (
        "billion-laughs",
        "treatments/evil.yaml",
        "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)),
        "anchors and aliases",
        True,
    ),
    (
        "merge-bomb",
        "treatments/evil.yaml",
        "a0: &a0 {k: v}\n" + "".join(f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}]}}\n" for i in range(1, 30)),
        "",
        True,
    ),
    ("duplicate-key", "treatments/evil.yaml", "id: evil\nname: A\nname: B\n", "duplicate key 'name'", True),
    (
        "duplicate-key-nested",
        "sources/evil.yaml",
        "- id: s1\n  title: T\n  kind: other\n  title: U\n",
        "duplicate key 'title'",
        True,
    ),
    ("invalid-utf8", "treatments/evil.yaml", b"id: evil\nname: caf\xe9\n", "not valid UTF-8 (line 2", False),
    ("utf16", "treatments/evil.yaml", "id: evil\n".encode("utf-16"), "not valid UTF-8 (line 1", False),
    ("nul-character", "treatments/evil.yaml", "id: evil\nname: a\x00b\n", "U+0000", True),
    ("empty", "treatments/evil.yaml", "", "empty", False),
    ("blank", "treatments/evil.yaml", "  \n\n\t\n", "empty", False),
    ("only-comment", "treatments/evil.yaml", "# nothing here\n", "empty", False),
    ("only-null", "treatments/evil.yaml", "---\n~\n", "empty", False),
    (
        "two-documents",
        "treatments/evil.yaml",
        "id: evil\n---\nid: other\n",
        "more than one YAML document",
        False,
    ),
    (
        "list-for-mapping",
        "treatments/evil.yaml",
        "- id: evil\n- name: Evil\n",
        "expected a mapping, got a list",
        False,
    ),
    ("text-for-mapping", "treatments/evil.yaml", "just some text\n", "expected a mapping, got text", False),
    (
        "mapping-for-list",
        "sources/evil.yaml",
        "id: s1\ntitle: T\nkind: other\n",
        "expected a list of sources",
        False,
    ),
    ("unhashable-key", "treatments/evil.yaml", "? [a, b]\n: c\n", "unhashable key", True),
    ("huge-number", "treatments/evil.yaml", f"id: evil\nyear: {'9' * 5000}\n", "too long", True),
    ("bad-date", "dataset.yaml", "version: '1'\ndate: 2026-13-45\n", "not a valid timestamp", True),
    ("syntax", "treatments/evil.yaml", "id: [unclosed\n", "invalid YAML", True),
    ("tab-indent", "treatments/evil.yaml", "id: evil\naliases:\n\t- x\n", "invalid YAML", True),
]
# (case id, file, content, words, file field or entry that must be named)
FIELD_CASES = [
    ("wrong-type", "treatments/alpha.yaml", {"name": 123}, "expected text", "name"),
    ("wrong-list", "treatments/alpha.yaml", {"aliases": "AZ-1"}, "expected a list", "aliases"),
    (
        "wrong-number",
        "treatments/alpha.yaml",
        {"evidence": [{"participants": "many"}]},
        "whole number",
        "evidence[0].participants",
    ),
    ("wrong-enum", "treatments/alpha.yaml", {"category": "potion"}, "unknown value 'potion'", "category"),
    ("unknown-field", "treatments/alpha.yaml", {"colour": "red"}, "unknown field", "colour"),
    (
        "unknown-nested",
        "treatments/alpha.yaml",
        {"evidence": [{"colour": "red"}]},
        "unknown field",
        "evidence[0].colour",
    ),
    ("non-text-key", "treatments/alpha.yaml", {1: "one"}, "unknown field", "1"),
]


Loader = Callable[..., tuple[Path, DatasetError]]


@pytest.fixture(params=["folder", "overlay"])
def load_with(request: pytest.FixtureRequest, tmp_path: Path) -> Loader:
    """Write files into a dataset folder (or an overlay folder), let ``prepare`` add
    links or special files, and return the folder and the error of loading it."""

    def load(
        files: dict[str, Any], prepare: Callable[[Path], None] | None = None
    ) -> tuple[Path, DatasetError]:
        if request.param == "folder":
            root = write_documents(tmp_path / "data", {**minimal_documents(), **files})
        else:
            root = write_documents(tmp_path / "overlay", files)
            root.mkdir(exist_ok=True)
        if prepare is not None:
            prepare(root)
        load_it = Catalog.from_path if request.param == "folder" else Catalog.default().extended_with
        with pytest.raises(DatasetError) as caught:
            load_it(root)
        return root, caught.value

    return load


def named_file(root: Path, error: DatasetError) -> str:
    """The file an error names, relative to the folder."""
    assert error.file is not None
    return (
        os.path.relpath(os.path.join(root, error.file), root)
        if not os.path.isabs(error.file)
        else os.path.relpath(error.file, root)
    )


@pytest.mark.parametrize(("case", "rel", "content", "words", "place"), CASES, ids=[c[0] for c in CASES])
def test_hostile_content(
    load_with: Loader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    rel: str,
    content: Any,
    words: str,
    place: bool,
) -> None:
    monkeypatch.chdir(tmp_path)
    default = Catalog.default()
    root, error = load_with({rel: content})
    assert named_file(root, error) == rel, str(error)
    assert words in error.problem
    if place:
        assert PLACE.search(error.problem), error.problem
    assert not (tmp_path / MARKER).exists(), "no code from the file ran"
    assert Catalog.default() is default
    assert mecfs_treatments.find("evil") is None


@pytest.mark.parametrize(
    ("case", "rel", "change", "words", "field"), FIELD_CASES, ids=[c[0] for c in FIELD_CASES]
)
def test_broken_fields(
    tmp_path: Path, case: str, rel: str, change: dict[Any, Any], words: str, field: str
) -> None:
    documents = minimal_documents()
    record = documents[rel]
    for key, value in change.items():
        if isinstance(value, list) and isinstance(value[0], dict) and key in record:
            record[key] = [{**record[key][0], **value[0]}]
        else:
            record[key] = value
    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(write_documents(tmp_path / "data", documents))
    error = caught.value
    assert (error.file, error.entry, error.field) == (rel, "alpha", field)
    assert words in error.problem


def test_file_over_the_size_cap(load_with: Loader) -> None:
    root, error = load_with({"treatments/big.yaml": "id: big\nsummary: " + "x" * MAX_FILE_BYTES + "\n"})
    assert named_file(root, error) == "treatments/big.yaml"
    assert f"limit of {MAX_FILE_BYTES}" in error.problem


# ----------------------------------------------------------------- the file system


def test_symlink_to_a_file_outside(load_with: Loader, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: secret\n")

    def link(root: Path) -> None:
        (root / "treatments").mkdir(parents=True, exist_ok=True)
        (root / "treatments" / "secret.yaml").symlink_to(outside)

    root, error = load_linked(load_with, tmp_path, link)
    assert named_file(root, error) == "treatments/secret.yaml"
    assert "outside the dataset folder" in error.problem


def test_symlinked_folder_outside(load_with: Loader, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere).mkdir()
    (elsewhere / "x.yaml").write_text("- id: x\n  title: X\n  kind: other\n")

    def link(root: Path) -> None:
        shutil.rmtree(root / "sources", ignore_errors=True)
        (root / "sources").symlink_to(elsewhere, target_is_directory=True)

    root, error = load_linked(load_with, tmp_path, link)
    assert named_file(root, error) == "sources"
    assert "outside the dataset folder" in error.problem


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "/proc/self/environ"])
def test_symlink_to_a_device_or_proc_file(load_with: Loader, tmp_path: Path, target: str) -> None:
    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")

    def link(root: Path) -> None:
        (root / "dataset.yaml").unlink(missing_ok=True)
        (root / "dataset.yaml").symlink_to(target)

    root, error = load_linked(load_with, tmp_path, link)
    assert named_file(root, error) == "dataset.yaml"
    assert "outside the dataset folder" in error.problem


def test_dangling_link_and_link_loop(load_with: Loader, tmp_path: Path) -> None:
    def link(root: Path) -> None:
        (root / "treatments").mkdir(parents=True, exist_ok=True)
        (root / "treatments" / "loop-a.yaml").symlink_to(root / "treatments" / "loop-b.yaml")
        (root / "treatments" / "loop-b.yaml").symlink_to(root / "treatments" / "loop-a.yaml")

    root, error = load_linked(load_with, tmp_path, link)
    assert named_file(root, error) == "treatments/loop-a.yaml"
    assert "not a regular file" in error.problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_does_not_block(load_with: Loader, tmp_path: Path) -> None:
    def link(root: Path) -> None:
        (root / "treatments").mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / "treatments" / "pipe.yaml")

    root, error = load_linked(load_with, tmp_path, link)
    assert named_file(root, error) == "treatments/pipe.yaml"
    assert "not a regular file" in error.problem


def test_folder_named_like_a_file(load_with: Loader, tmp_path: Path) -> None:
    def link(root: Path) -> None:
        (root / "treatments" / "odd.yaml").mkdir(parents=True)

    root, error = load_linked(load_with, tmp_path, link)
    assert named_file(root, error) == "treatments/odd.yaml"
    assert "not a regular file" in error.problem


def load_linked(load_with: Loader, tmp_path: Path, make: Callable[[Path], None]) -> tuple[Path, DatasetError]:
    """Load a folder that ``make`` adds links or special files to."""
    return load_with({}, make)


# ------------------------------------------------------------ big inputs, measured

PROBE = textwrap.dedent(
    """
    import json, resource, sys, time, tracemalloc
    import yaml  # imported before measuring: its import is not the input's cost
    from mecfs_treatments import Catalog, DatasetError

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    try:
        Catalog.from_path(sys.argv[1])
    except DatasetError as error:
        result = {"file": error.file, "problem": error.problem}
    else:
        result = {"file": None, "problem": "loaded"}
    result["seconds"] = time.perf_counter() - start
    result["peak"] = tracemalloc.get_traced_memory()[1]
    result["rss_growth_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps(result))
    """
)
FILL = MAX_FILE_BYTES - 64
BIG = [
    # Deep nesting may be stopped by our own limit or, first, by PyYAML's (its newer
    # releases have one): either way a DatasetError naming the file and line.
    ("deep-flow", "[" * FILL, "line "),
    ("deep-flow-mappings", "{a: " * (FILL // 4), "line "),
    ("deep-block", "- " * (FILL // 2) + "x", "line "),
    ("deep-indent", "".join(" " * i + "k:\n" for i in range(1400)), "line "),
    ("huge-alias-bomb", "a: &a [x]\nb: [" + "*a, " * (FILL // 4 - 8) + "]\n", "anchors and aliases"),
    ("million-values", "- a\n" * (FILL // 4), f"more than {MAX_NODES} values"),
    ("million-keys", "".join(f"k{i}: 1\n" for i in range(FILL // 10)), f"more than {MAX_NODES} values"),
    ("long-flow-list", "[" + "a," * (FILL // 2 - 2) + "]", f"more than {MAX_NODES} values"),
    ("one-huge-text", "id: evil\nsummary: " + "x" * (FILL - 30) + "\n", "required field is missing"),
]


@pytest.mark.parametrize(("case", "content", "words"), BIG, ids=[b[0] for b in BIG])
def test_big_hostile_files_fail_fast_in_bounded_memory(
    tmp_path: Path, case: str, content: str, words: str
) -> None:
    pytest.importorskip("resource")  # the child measures itself with it (Unix)
    assert len(content.encode()) <= MAX_FILE_BYTES
    root = write_documents(tmp_path / "data", {**minimal_documents(), "treatments/evil.yaml": content})
    # A hang would fail here (a generous guard, not a speed target), a crash just below.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"the loader crashed: {done.returncode} {done.stderr[-2000:]}"
    result = json.loads(done.stdout)
    assert result["file"] == "treatments/evil.yaml"
    assert words in result["problem"]
    assert result["peak"] < 50 * 2**20, f"{case}: traced peak {result['peak'] / 2**20:.1f} MiB"
    assert result["rss_growth_kib"] < 100 * 1024, (
        f"{case}: resident memory grew {result['rss_growth_kib']} KiB"
    )


def test_the_limits_leave_room_for_real_data() -> None:
    """The bundled files are far from every limit, so a real dataset never meets them."""
    from importlib.resources import files

    data = files("mecfs_treatments") / "data"
    items = [data / "symptoms.yaml", *(data / "sources").iterdir(), *(data / "treatments").iterdir()]
    for item in items:
        if not item.name.endswith(".yaml"):
            continue
        text = item.read_text(encoding="utf-8")
        assert len(text.encode()) < MAX_FILE_BYTES / 10
        parse_yaml(text, item.name)


# ------------------------------------------------------------------ properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_give_a_dataset_error(raw: bytes) -> None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        parse_yaml(text, "any.yaml")
    except DatasetError as error:
        assert error.file == "any.yaml"


PIECES = [
    "- ",
    "? ",
    ": ",
    "a",
    "k: ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "\n",
    "  ",
    "&a ",
    "*a",
    "!!python/name:x ",
    "!x ",
    "'",
    '"',
    "#",
    "|\n",
    "<<: ",
    "\t",
    "%YAML 1.1\n",
    "--- ",
    "...\n",
]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=50))
def test_any_yaml_like_text_parses_or_gives_a_dataset_error(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        parse_yaml(text, "any.yaml")
    except DatasetError as error:
        assert error.file == "any.yaml"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.sampled_from(["a", 1, None]),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("kl"), inner, max_size=2)
        ),
        max_leaves=60,
    ),
    st.integers(2, 16),
    st.sampled_from([None, True, False]),
)
def test_nesting_beyond_the_limit_is_always_refused(value: Any, limit: int, flow: bool | None) -> None:
    """Whatever the layout, a document deeper than MAX_DEPTH never reaches the composer."""
    import yaml

    from mecfs_treatments import _yaml as load

    text = yaml.safe_dump(value, default_flow_style=flow)
    saved = load.MAX_DEPTH
    load.MAX_DEPTH = limit
    try:
        got = parse_yaml(text, "any.yaml")
    except DatasetError as error:
        assert _depth(value) > limit or "empty" in error.problem
    else:
        assert _depth(got) <= limit
    finally:
        load.MAX_DEPTH = saved


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.sampled_from(["a", 1, None, ""]),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.sampled_from("klm"), inner, max_size=3)
        ),
        max_leaves=40,
    ),
    st.integers(1, 40),
    st.sampled_from([None, True, False]),
)
def test_more_values_than_the_limit_are_always_refused(value: Any, limit: int, flow: bool | None) -> None:
    """Whatever the layout, a document with more than MAX_NODES values is refused before it is built."""
    import yaml

    from mecfs_treatments import _yaml as load

    text = yaml.safe_dump(value, default_flow_style=flow)
    saved = load.MAX_NODES
    load.MAX_NODES = limit
    try:
        got = parse_yaml(text, "any.yaml")
    except DatasetError as error:
        assert _count(value) > limit or "empty" in error.problem
    else:
        assert _count(got) <= limit
    finally:
        load.MAX_NODES = saved


def _count(value: Any) -> int:
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend([*item.keys(), *item.values()])
        elif isinstance(item, list):
            stack.extend(item)
    return count
