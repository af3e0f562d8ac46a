"""The catalogue generator: escaping, the A–Z and symptom rules, writing pages, real builds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("sphinx", reason="sphinx is not installed (it is in the 'test' dependency group)")

from docutils import nodes
from docutils.core import publish_doctree

import mecfs_treatments
from mecfs_treatments import model
from mecfs_treatments.catalog import Catalog
from mecfs_treatments.model import (
    Source,
    SourceKind,
    Symptom,
    SymptomDomain,
)
from mecfs_treatments.sphinxext import (
    MARKER,
    index_letter,
    narrower_ids,
    render_catalogue,
    rst_text,
    write_pages,
)

from .conftest import NOT_IN_FILES, DatasetFactory

DOCS = Path(__file__).resolve().parents[1] / "docs"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# ------------------------------------------------------------------ escaping


def parse(source: str) -> nodes.document:
    """Parse reStructuredText with smart quotes on; fail on any message docutils reports."""
    document = publish_doctree(
        source,
        settings_overrides={
            "smart_quotes": True,
            "report_level": 5,
            "halt_level": 5,
            "warning_stream": False,
        },
    )
    problems = list(document.findall(nodes.system_message))
    assert not problems, [p.astext() for p in problems]
    return document


def first(document: nodes.document, kind: type[nodes.Element]) -> str:
    found = next(iter(document.findall(kind)), None)
    assert found is not None, document.pformat()
    return found.astext()


ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@given(ANY_TEXT)
def test_escaped_text_reads_back_as_written(text: str) -> None:
    expected = " ".join(CONTROL.sub(" ", text).split())
    escaped = rst_text(text)
    assert "\n" not in escaped
    if not expected:
        assert escaped == ""
        return
    assert first(parse(escaped), nodes.paragraph) == expected
    assert first(parse(f"- {escaped}"), nodes.list_item) == expected
    assert first(parse(f"Before {escaped} after"), nodes.paragraph) == f"Before {expected} after"
    assert first(parse(f"**{escaped}**"), nodes.strong) == expected
    assert first(parse(f":Field: {escaped}"), nodes.field_body) == expected
    assert first(parse(f"{escaped}\n{'=' * (2 * len(escaped))}\n\nBody."), nodes.title) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1. Not a list",
        "- not a bullet",
        ".. not a comment",
        "Ends with::",
        "----",
        "\\\\\\\\",
        'trial\'s "--" ...',
    ],
)
def test_escaped_text_starts_no_block(text: str) -> None:
    document = parse(rst_text(text))
    assert [type(child) for child in document.children] == [nodes.paragraph]
    assert document.astext() == text


# ---------------------------------------------------------------- the A–Z rule

LETTERS = {chr(c) for c in range(ord("A"), ord("Z") + 1)}


@given(st.text(max_size=20))
def test_every_name_has_one_section(name: str) -> None:
    assert index_letter(name) in LETTERS | {"0–9", "Other"}


@given(st.from_regex(r"[ \-(]*[A-Za-z][\w \-]*", fullmatch=True))
def test_a_latin_name_is_listed_under_its_first_letter(name: str) -> None:
    assert index_letter(name) == next(c for c in name if c.isalpha()).upper()


def test_accents_digits_and_other_scripts() -> None:
    assert [index_letter(n) for n in ("Ëlan", "5-HTP", "ω-3", "")] == ["E", "0–9", "Other", "Other"]


# --------------------------------------------------------------- the symptom rule

SOURCE = Source(id="s", title="S", kind=SourceKind.OTHER)


@st.composite
def symptom_forests(draw: st.DrawFn) -> list[Symptom]:
    """Symptoms whose ``broader`` links point at an earlier symptom: no cycles."""
    count = draw(st.integers(min_value=1, max_value=8))
    result: list[Symptom] = []
    for i in range(count):
        parent = draw(st.none() | st.integers(min_value=0, max_value=i - 1)) if i else None
        result.append(
            Symptom(
                id=f"s{i}",
                label=f"S{i}",
                domain=SymptomDomain.PAIN,
                broader=None if parent is None else f"s{parent}",
            )
        )
    return draw(st.permutations(result))


def chain(symptoms: list[Symptom], symptom_id: str) -> list[str]:
    """The symptom and every broader one, walking up."""
    by_id = {s.id: s for s in symptoms}
    found = []
    step: str | None = symptom_id
    while step is not None:
        found.append(step)
        step = by_id[step].broader
    return found


@given(symptom_forests(), st.data())
def test_narrower_symptoms_are_those_below(symptoms: list[Symptom], data: st.DataObject) -> None:
    top = data.draw(st.sampled_from(symptoms)).id
    expected = {s.id for s in symptoms if top in chain(symptoms, s.id)}
    assert narrower_ids(symptoms, top) == expected


# ---------------------------------------------------------------- writing pages


def test_pages_are_written_once_and_stale_pages_removed(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    pages = {"index.rst": "A\n", "treatments/a.rst": "a\n", "treatments/b.rst": "b\n"}
    assert write_pages(pages, folder) == (sorted(pages), [])
    stamps = {p: (folder / p).stat().st_mtime_ns for p in pages}

    assert write_pages(pages, folder) == ([], [])
    assert {p: (folder / p).stat().st_mtime_ns for p in pages} == stamps

    changed = {"index.rst": "A2\n", "treatments/a.rst": "a\n"}
    assert write_pages(changed, folder) == (["index.rst"], ["treatments/b.rst"])
    assert not (folder / "treatments" / "b.rst").exists()
    assert (folder / "index.rst").read_text(encoding="utf-8") == "A2\n"
    assert (folder / MARKER).is_file()


def test_a_folder_not_made_by_the_extension_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.rst").write_text("my notes\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"not made by mecfs_treatments\.sphinxext"):
        write_pages({"index.rst": "A\n"}, folder)
    assert [p.name for p in folder.iterdir()] == ["notes.rst"]


def test_pages_of_a_dataset(make_dataset: DatasetFactory) -> None:
    catalog = Catalog.from_path(make_dataset())
    pages = render_catalogue(catalog)
    assert set(pages) == {
        "index.rst",
        "aliases.rst",
        "symptoms/index.rst",
        "compare.rst",
        *(f"treatments/{t.id}.rst" for t in catalog.treatments()),
        *(f"symptoms/{s.id}.rst" for s in catalog.symptoms()),
    }
    assert render_catalogue(Catalog.from_path(make_dataset())) == pages


# ------------------------------------------------------------------ real builds


def build(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def project(tmp_path: Path, data: Path) -> Path:
    src = tmp_path / "project"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        f'extensions = ["mecfs_treatments.sphinxext"]\nmecfs_treatments_data = {str(data)!r}\n',
        encoding="utf-8",
    )
    (src / "index.rst").write_text("Test\n====\n\n.. toctree::\n\n   catalogue/index\n", encoding="utf-8")
    return src


def item_of(html: str, href: str) -> str:
    """The list item of a page that links to ``href``."""
    match = re.search(rf'<li>(?:(?!</li>).)*?href="{re.escape(href)}(?:#[^"]*)?".*?</li>', html, re.S)
    assert match, href
    return match.group(0)


def test_a_data_change_shows_on_the_next_build(tmp_path: Path, make_dataset: DatasetFactory) -> None:
    data = make_dataset()
    src = project(tmp_path, data)
    out = tmp_path / "html"
    first_build = build(src, out)
    assert first_build.returncode == 0, first_build.stderr
    pages = out / "catalogue"
    assert "Alphix" in (pages / "treatments" / "alpha.html").read_text(encoding="utf-8")
    # Alphazol targets headache, part of pain; its one item names no symptom.
    pain = (pages / "symptoms" / "pain.html").read_text(encoding="utf-8")
    assert "mecfs-badge-no-effect" in item_of(pain, "../treatments/alpha.html")
    assert "treatments/beta.html" in (pages / "index.html").read_text(encoding="utf-8")

    alpha_file = data / "treatments" / "alpha.yaml"
    alpha: dict[str, Any] = yaml.safe_load(alpha_file.read_text(encoding="utf-8"))
    alpha["aliases"].append({"name": "Alphazol Retard", "kind": "brand"})
    alpha["evidence"][0]["symptoms"] = ["headache"]
    alpha["evidence"][0]["direction"] = "benefit"
    alpha_file.write_text(yaml.safe_dump(alpha, sort_keys=False), encoding="utf-8")
    (data / "treatments" / "beta.yaml").unlink()

    second_build = build(src, out)
    assert second_build.returncode == 0, second_build.stderr
    assert "Alphazol Retard" in (pages / "treatments" / "alpha.html").read_text(encoding="utf-8")
    pain = (pages / "symptoms" / "pain.html").read_text(encoding="utf-8")
    assert "mecfs-badge-benefit" in item_of(pain, "../treatments/alpha.html")
    assert "mecfs-badge-no-effect" not in pain
    assert "treatments/beta.html" not in (pages / "index.html").read_text(encoding="utf-8")
    assert not (src / "catalogue" / "treatments" / "beta.rst").exists()


def test_a_broken_dataset_stops_the_build_naming_the_fault(
    tmp_path: Path, make_dataset: DatasetFactory
) -> None:
    def break_it(documents: dict[str, Any]) -> None:
        documents["treatments/alpha.yaml"]["evidence"][0]["direction"] = "helpful"

    src = project(tmp_path, make_dataset(edit=break_it))
    result = build(src, tmp_path / "html")
    assert result.returncode != 0
    assert "treatments/alpha.yaml" in result.stderr
    assert "evidence[0].direction" in result.stderr


# --------------------------------------------------------- the docs cover the code


@pytest.mark.skipif(not DOCS.is_dir(), reason="no docs/ folder beside the tests")
def test_the_data_model_page_has_a_table_for_every_enum_and_record() -> None:
    import enum

    import attrs

    text = (DOCS / "data-model.rst").read_text(encoding="utf-8")
    for name in model.__all__:
        obj = getattr(model, name)
        if isinstance(obj, type) and issubclass(obj, enum.Enum) and name not in NOT_IN_FILES:
            assert f".. mecfs-enum-table:: mecfs_treatments.model.{name}\n" in text, name
        elif isinstance(obj, type) and attrs.has(obj) and name not in NOT_IN_FILES:
            assert f".. mecfs-fields-table:: mecfs_treatments.model.{name}\n" in text, name


@pytest.mark.skipif(not DOCS.is_dir(), reason="no docs/ folder beside the tests")
def test_the_api_reference_documents_every_public_name() -> None:
    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\.\. (?:auto)?(?:function|class|exception|data):: (\w+)", text, re.M))
    assert documented >= set(mecfs_treatments.__all__)


@pytest.mark.skipif(not DOCS.is_dir(), reason="no docs/ folder beside the tests")
def test_the_api_reference_covers_every_public_module() -> None:
    import importlib
    import pkgutil

    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    for info in pkgutil.iter_modules(mecfs_treatments.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"mecfs_treatments.{info.name}")
        public = set(getattr(module, "__all__", ()))
        re_exported = public <= set(mecfs_treatments.__all__)
        assert re_exported or f".. automodule:: mecfs_treatments.{info.name}\n" in text, (
            f"mecfs_treatments.{info.name} has public names that docs/api.rst does not document"
        )
