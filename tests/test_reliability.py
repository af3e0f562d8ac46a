"""Bad input, a bad environment and a damaged install never end in a traceback or wrong data.

Each test asserts the error's type and where it points (file, line, field), never a
third party's wording.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import mecfs_treatments
from mecfs_treatments import Catalog, DatasetError, MecfsTreatmentsError, _snapshot
from mecfs_treatments._yaml import parse_yaml
from mecfs_treatments.load import load_folder

from .conftest import DatasetFactory

PACKAGE = Path(mecfs_treatments.__file__).resolve().parent

# ------------------------------------------------------------------- YAML tags

TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!timestamp",
    "!!map",
    "!!seq",
    "!!binary",
    "!!set",
    "!!omap",
    "!!pairs",
    "!!merge",
    "!!value",
    "!local",
    "!!python/name:os.system",
    "!<tag:x.org,2000:y>",
]
NODES = [
    "''",
    '""',
    "maybe",
    "+",
    "-",
    "1",
    "0x1F",
    "012",
    "1_000",
    "12:34",
    "2021-13-45",
    "2021-01-01",
    ".nan",
    "[a]",
    "[]",
    "{a: b}",
    "{}",
    "~",
    "yes",
    "on",
    "3.5e3",
]


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(TAGS), st.sampled_from(NODES), st.sampled_from(["name", "year", "aliases", "verified"])
)
def test_any_tag_on_any_node_is_data_or_a_dataset_error_with_its_line(tag: str, node: str, key: str) -> None:
    text = f"id: x\n{key}: {tag} {node}\n"
    try:
        parse_yaml(text, "treatments/x.yaml")
    except DatasetError as error:
        assert error.file == "treatments/x.yaml"
        assert "line 2" in error.problem or "line 1" in error.problem, error.problem


@pytest.mark.parametrize(
    "value",
    ["!!bool maybe", "!!bool ''", '!!int ""', "!!float ''", "!!int +", "!!map [a]", "!!seq {a: b}"],
)
def test_tags_named_in_the_issue_are_dataset_errors(make_dataset: DatasetFactory, value: str) -> None:
    def edit(documents: dict[str, Any]) -> None:
        documents["treatments/alpha.yaml"] = yaml.safe_dump(documents["treatments/alpha.yaml"]).replace(
            "name: Alphazol", f"name: {value}", 1
        )

    root = make_dataset(edit=edit)
    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(root)
    assert caught.value.file == "treatments/alpha.yaml"
    with pytest.raises(DatasetError):
        Catalog.default().extended_with(root)


# ------------------------------------------------------- numbers written as text


@pytest.mark.parametrize(
    ("field", "written"),
    [
        ("pmid", "01234567"),
        ("pmid", "12:34"),
        ("pmid", "0x1F"),
        ("pmid", "1_234"),
        ("pmid", "+123"),
        ("title", "2021-01-01"),
        ("title", "yes"),
        ("publisher", "3.5"),
    ],
)
def test_a_number_where_text_belongs_is_refused_with_a_hint(
    make_dataset: DatasetFactory, field: str, written: str
) -> None:
    def edit(documents: dict[str, Any]) -> None:
        documents["sources/main.yaml"][0].pop(field, None)
        text = yaml.safe_dump(documents["sources/main.yaml"], sort_keys=False)
        documents["sources/main.yaml"] = text.replace("kind:", f"{field}: {written}\n  kind:", 1)

    root = make_dataset(edit=edit)
    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(root)
    assert caught.value.file == "sources/main.yaml"
    assert caught.value.field == field
    assert "quotes" in caught.value.problem


@pytest.mark.parametrize("written", ["012345", "0x7E9", "+2020", "2_020", "20:20"])
def test_a_year_is_taken_only_in_plain_digits(make_dataset: DatasetFactory, written: str) -> None:
    def edit(documents: dict[str, Any]) -> None:
        text = yaml.safe_dump(documents["sources/main.yaml"], sort_keys=False)
        documents["sources/main.yaml"] = text.replace("kind:", f"year: {written}\n  kind:", 1)

    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(make_dataset(edit=edit))
    assert (caught.value.file, caught.value.field) == ("sources/main.yaml", "year")


def test_a_quoted_number_is_text_as_written(make_dataset: DatasetFactory) -> None:
    def edit(documents: dict[str, Any]) -> None:
        documents["sources/main.yaml"][0]["pmid"] = "1234567"

    catalog = Catalog.from_path(make_dataset(edit=edit))
    assert catalog.sources()[0].pmid == "1234567"


# ------------------------------------------------------------ the file system


def test_a_folder_that_cannot_be_listed_is_a_dataset_error(
    make_dataset: DatasetFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_dataset()

    def refuse(self: Path) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(root)
    assert caught.value.file in ("sources", "treatments")


def test_a_stat_fault_is_a_dataset_error(
    make_dataset: DatasetFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_dataset()
    real = Path.stat

    def refuse(self: Path, **kwargs: Any) -> Any:
        if self.suffix == ".yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, **kwargs)

    monkeypatch.setattr(Path, "stat", refuse)
    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(root)
    assert caught.value.file is not None
    assert caught.value.file.endswith(".yaml")


@pytest.mark.parametrize("path", ["", " ", "x" * 5000, "/dev/null", "/nonexistent/folder"])
def test_bad_paths_are_dataset_errors(path: str) -> None:
    with pytest.raises(DatasetError):
        Catalog.from_path(path)
    with pytest.raises(DatasetError):
        Catalog.default().extended_with(path)


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        pytest.skip("no README beside the tests")
    text = readme.read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------- API edges


def test_api_edges() -> None:
    with pytest.raises(TypeError):
        mecfs_treatments.resolve_many("LDN")
    with pytest.raises(ValueError, match="at least 0"):
        mecfs_treatments.suggest("naltrexon", -1)
    assert mecfs_treatments.suggest("naltrexon", 0) == ()
    long = "x" * 10_000
    with pytest.raises(mecfs_treatments.UnknownTreatmentError) as caught:
        mecfs_treatments.get(long)
    assert caught.value.query == long
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("name", ["!!!", "--", "  ·  "])
def test_a_name_needs_a_letter_or_a_digit(make_dataset: DatasetFactory, name: str) -> None:
    def edit(documents: dict[str, Any]) -> None:
        documents["treatments/alpha.yaml"]["name"] = name

    with pytest.raises(DatasetError) as caught:
        Catalog.from_path(make_dataset(edit=edit))
    assert (caught.value.file, caught.value.field) == ("treatments/alpha.yaml", "name")


# ------------------------------------------------------------- the snapshot

CHECK = textwrap.dedent(
    """
    import json, warnings
    warnings.simplefilter("always")
    with warnings.catch_warnings(record=True) as caught:
        import mecfs_treatments as mt
        try:
            first = mt.get("Pitocin").id
        except Exception as error:
            first = type(error).__name__
        ldn = [e.direction.value for e in mt.get("LDN").evidence]
        count = len(mt.treatments())
        again = mt.get("Syntocinon").id
    print(json.dumps({"first": first, "ldn": ldn, "count": count, "again": again,
                      "warnings": [str(w.message) for w in caught]}))
    """
)


def _package_with_snapshot(tmp_path: Path) -> tuple[Path, Path]:
    site = tmp_path / "site"
    copy = site / "mecfs_treatments"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    snapshot = copy / "data" / _snapshot.FILE_NAME
    snapshot.write_text(_snapshot.dumps(load_folder(copy / "data")), encoding="utf-8")
    return site, snapshot


def _check(site: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _edit_a_record(lines: list[str]) -> None:
    at = next(
        i for i, line in enumerate(lines) if '"benefit"' in line and '"low-dose-naltrexone"' not in line[:40]
    )
    lines[at] = lines[at].replace('"benefit"', '"harm"', 1)


def _swap(lines: list[str]) -> None:
    lines[-2], lines[-3] = lines[-3], lines[-2]


def _undecodable_with_a_good_checksum(lines: list[str]) -> None:
    import zlib

    header = json.loads(lines[0])
    lines[-2] = "[1, 2, 3]"
    header["checksum"] = zlib.adler32("".join(line + "\n" for line in lines[1:-1]).encode("utf-8"))
    lines[0] = json.dumps(header)


def _truncate(lines: list[str]) -> None:
    del lines[len(lines) // 2 :]


def _cut_header(lines: list[str]) -> None:
    lines[0] = lines[0][:-20]


DAMAGE: dict[str, Callable[[list[str]], None]] = {
    "edited": _edit_a_record,
    "swapped": _swap,
    "undecodable": _undecodable_with_a_good_checksum,
    "truncated": _truncate,
    "header": _cut_header,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_snapshot_warns_once_and_gives_the_yaml_data(tmp_path: Path, damage: str) -> None:
    site, snapshot = _package_with_snapshot(tmp_path)
    good = _check(site)
    assert good["warnings"] == []
    lines = snapshot.read_text(encoding="utf-8").split("\n")
    DAMAGE[damage](lines)
    snapshot.write_text("\n".join(lines), encoding="utf-8")
    result = _check(site)
    assert {k: result[k] for k in ("first", "ldn", "count", "again")} == {
        k: good[k] for k in ("first", "ldn", "count", "again")
    }
    assert len(result["warnings"]) == 1, result["warnings"]
    assert "snapshot" in result["warnings"][0]


def test_a_folder_in_place_of_the_snapshot_warns_and_gives_the_yaml_data(tmp_path: Path) -> None:
    site, snapshot = _package_with_snapshot(tmp_path)
    good = _check(site)
    snapshot.unlink()
    snapshot.mkdir()
    result = _check(site)
    assert result["ldn"] == good["ldn"]
    assert len(result["warnings"]) == 1


def test_a_failed_decode_changes_no_shared_state() -> None:
    dataset = load_folder(PACKAGE / "data")
    text = _snapshot.dumps(dataset)
    header = json.loads(text.split("\n", 1)[0])
    # One value too many: the date is decoded before the record fails to build, and a
    # decoder that changed the header in place would fail differently the second time.
    header["info"].append("one too many")
    broken = json.dumps(header) + "\n" + text.split("\n", 1)[1]
    reader = _snapshot.Reader(broken)
    errors = []
    for _ in range(2):
        with pytest.raises(MecfsTreatmentsError) as caught:
            reader.dataset()
        errors.append(str(caught.value))
    assert errors[0] == errors[1], "the first attempt changed what the second one saw"


# --------------------------------------------------------------- command line


def run(
    *args: str, env: dict[str, str] | None = None, stdin: Any = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mecfs_treatments", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        stdin=stdin,
        errors="replace",
        **kwargs,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "cp1252"},
        {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
    ],
    ids=["ascii", "cp1252", "C-locale"],
)
def test_a_terminal_that_is_not_utf8_gets_replaced_characters_not_a_traceback(env: dict[str, str]) -> None:
    for args in (["show", "Syntocinon"], ["export"], ["schema"], ["search", "éx"], ["--json", "show", "LDN"]):
        done = run(*args, env=env)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    done = run("--json", "show", "LDN", env=env)
    json.loads(done.stdout)  # still valid JSON: \\u escapes where the encoding lacks a character


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
def test_every_treatment_page_shows_in_a_poor_encoding(encoding: str) -> None:
    import io

    from mecfs_treatments.cli import main

    for treatment in mecfs_treatments.treatments():
        out = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        err = io.StringIO()
        assert main(["show", treatment.id], stdout=out, stderr=err) == 0, (treatment.id, err.getvalue())
        out.flush()


def test_write_faults_end_with_one_line_and_a_status(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = (
            run("list", stdout=full, capture_output=False)
            if False
            else subprocess.run(
                [sys.executable, "-m", "mecfs_treatments", "list"],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
            )
        )
    assert done.returncode == 4
    assert done.stderr.count("\n") == 1
    closed = subprocess.run(
        f"{sys.executable} -m mecfs_treatments list >&-",
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert closed.returncode == 4
    assert "Traceback" not in closed.stderr
    piped = subprocess.run(
        f"{sys.executable} -m mecfs_treatments export | head -c 10 > /dev/null; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in piped.stderr
    assert piped.returncode in (0, 4)
    for out in ("/dev/null/x", str(tmp_path / "file" / "deeper"), str(tmp_path)):
        (tmp_path / "file").write_text("x")
        done = run("schema", "--out", out)
        assert "Traceback" not in done.stderr
    done = run("schema", "--out", str(tmp_path / "file"))
    assert done.returncode == 4
    assert done.stderr.count("\n") == 1


def test_usage_edges() -> None:
    done = run()
    assert done.returncode == 2
    assert "usage" in done.stderr
    assert done.stdout == ""
    assert json.loads(run("--json", "show", "LDN").stdout) == json.loads(run("show", "LDN", "--json").stdout)
    assert run("--data", str(PACKAGE / "data"), "show", "LDN").returncode == 0
    assert run("show", "LDN", "--data", str(PACKAGE / "data")).returncode == 0
    for args in (
        ["search", "sleep", "--limit", "0"],
        ["search", "sleep", "--limit", "-1"],
        ["search", ""],
        ["show", "  "],
        ["symptom", ""],
    ):
        done = run(*args)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr
    done = run("list", "--category", "diet", "--data", str(PACKAGE / "data"))
    assert done.returncode == 0
    done = run("show", "y" * 10_000)
    assert done.returncode == 1
    assert len(done.stderr) < 400


def test_every_argument_has_help_text() -> None:
    import argparse

    from mecfs_treatments.cli import _parser

    parser = _parser()
    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            parsers += list(action.choices.values())
    for p in parsers:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{p.prog}: {action.dest} has no help"


def test_counts_are_written_with_the_right_plural(make_dataset: DatasetFactory) -> None:
    root = make_dataset()
    done = run("--data", str(root), "symptoms")
    assert " 1 treatments" not in done.stdout
    assert "treatment;" in done.stdout or "treatments;" in done.stdout
