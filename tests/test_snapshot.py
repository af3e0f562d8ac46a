"""The compiled JSON snapshot of the bundled dataset: current, faithful, and refused when foreign.

A wheel carries ``data/_compiled.json``, written by the build hook from the YAML
files.  These tests prove that the snapshot an installed package carries loads to
the very dataset its YAML files give, that any dataset survives the round trip, and
that a snapshot of another layout or version is refused rather than misread.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import sysconfig
import warnings
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mecfs_treatments
from mecfs_treatments import Catalog, Dataset, _snapshot, model
from mecfs_treatments.load import load_folder

DATA = files("mecfs_treatments") / "data"
SNAPSHOT = DATA / _snapshot.FILE_NAME
PACKAGE_DIR = Path(mecfs_treatments.__file__).resolve().parent
INSTALLED = any(
    PACKAGE_DIR.is_relative_to(Path(sysconfig.get_path(kind)).resolve()) for kind in ("purelib", "platlib")
)
"""The package under test is an installed copy (a wheel), not a source tree or editable install."""


def read_bundled() -> Dataset | None:
    """The bundled dataset from the package's snapshot, or ``None`` where it has none."""
    reader = _snapshot.open_bundled()
    return None if reader is None else reader.dataset()


def load_bundled() -> Dataset:
    """The bundled dataset as the default catalogue reads it (snapshot, else YAML)."""
    return Catalog._bundled().dataset


def yaml_dataset() -> Dataset:
    return load_folder(DATA)


# --------------------------------------------------------------- the bundled snapshot


@pytest.mark.skipif(not INSTALLED, reason="a source tree has no snapshot; the wheel build writes it")
def test_installed_package_has_a_snapshot_and_its_yaml() -> None:
    assert SNAPSHOT.is_file(), "the wheel was built without its dataset snapshot"
    assert (DATA / "treatments").is_dir()
    assert any(item.name.endswith(".yaml") for item in (DATA / "treatments").iterdir())
    assert (DATA / "symptoms.yaml").is_file()


def test_bundled_snapshot_equals_the_yaml_it_was_built_from() -> None:
    if not SNAPSHOT.is_file():
        pytest.skip("no snapshot in this copy of the package (source tree or editable install)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_snapshot = read_bundled()
        bundled = load_bundled()
    from_yaml = yaml_dataset()
    assert from_snapshot is not None
    assert from_snapshot == from_yaml
    assert bundled == from_yaml
    assert [t.id for t in from_snapshot.treatments] == [t.id for t in from_yaml.treatments]


def test_first_lookup_reads_no_yaml_when_a_snapshot_ships() -> None:
    code = (
        "import sys, mecfs_treatments as mt\n"
        "assert mt.get('Pitocin').id == 'oxytocin'\n"
        "from mecfs_treatments import _snapshot\n"
        "print('yaml' in sys.modules, _snapshot.open_bundled() is not None)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    yaml_imported, has_snapshot = out
    # With a snapshot PyYAML is never imported; without one (a source tree) it must be.
    assert yaml_imported == ("False" if has_snapshot == "True" else "True")


def test_the_yaml_of_this_copy_round_trips() -> None:
    dataset = yaml_dataset()
    text = _snapshot.dumps(dataset)
    back = _snapshot.loads(text)
    assert back == dataset
    assert json.loads(text.split("\n", 1)[0])["format"] == _snapshot.FORMAT
    # References stay shared: a treatment's target is the very symptom of the vocabulary.
    symptoms = {s.id: s for s in back.symptoms}
    sources = {s.id: s for s in back.sources}
    for treatment in back.treatments:
        for target in treatment.targets:
            assert target.symptom is symptoms[target.symptom.id]
        for source in treatment.sources:
            assert source is sources[source.id]


# ------------------------------------------------------------------ any dataset


texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
optional_texts = st.none() | texts
years = st.none() | st.integers(1000, 2100)
slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """A model-level dataset with every kind of field, shared references and defaults."""
    source_ids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    sources = [
        model.Source(
            id=i,
            title=draw(texts),
            kind=draw(st.sampled_from(model.SourceKind)),
            publisher=draw(optional_texts),
            year=draw(years),
            url=draw(st.none() | st.just("https://example.org/x")),
            pmid=draw(st.none() | st.just("12345")),
            verified=draw(st.booleans()),
        )
        for i in source_ids
    ]
    some_sources = st.lists(st.sampled_from(sources), max_size=3, unique_by=lambda s: s.id)
    symptom_ids = draw(st.lists(slugs, max_size=4, unique=True))
    symptoms: list[model.Symptom] = []
    for i in symptom_ids:
        symptoms.append(
            model.Symptom(
                id=i,
                label=draw(texts),
                domain=draw(st.sampled_from(model.SymptomDomain)),
                synonyms=draw(st.lists(texts, max_size=3)),
                criteria=draw(st.lists(st.sampled_from(model.Criteria), max_size=2, unique=True)),
                broader=draw(st.none() | st.sampled_from([s.id for s in symptoms])) if symptoms else None,
                sources=draw(some_sources),
            )
        )
    some_symptoms = (
        st.lists(st.sampled_from(symptoms), max_size=3, unique_by=lambda s: s.id) if symptoms else st.just([])
    )
    evidence = st.builds(
        model.Evidence,
        kind=st.sampled_from(model.EvidenceKind),
        direction=st.sampled_from(model.Direction),
        summary=texts,
        sources=some_sources,
        condition=st.sampled_from(model.Condition),
        population=optional_texts,
        case_definition=st.none() | st.sampled_from(model.CaseDefinition),
        pem_required=st.none() | st.booleans(),
        participants=st.none() | st.integers(1, 10_000),
        year=years,
        symptoms=some_symptoms,
    )
    targets = (
        st.lists(
            st.builds(
                model.Target, symptom=st.sampled_from(symptoms), sources=some_sources, note=optional_texts
            ),
            max_size=2,
        )
        if symptoms
        else st.just([])
    )
    treatments = [
        model.Treatment(
            id=i,
            name=draw(texts),
            category=draw(st.sampled_from(model.Category)),
            summary=draw(texts),
            sources=draw(some_sources),
            aliases=draw(
                st.lists(
                    st.builds(model.Alias, name=texts, kind=st.sampled_from(model.AliasKind)), max_size=3
                )
            ),
            access=draw(st.lists(st.sampled_from(model.Access), max_size=2, unique=True)),
            targets=draw(targets),
            evidence=draw(st.lists(evidence, max_size=2)),
            mechanisms=draw(
                st.lists(
                    st.builds(
                        model.Mechanism,
                        name=texts,
                        description=texts,
                        status=st.sampled_from(model.MechanismStatus),
                        sources=some_sources,
                    ),
                    max_size=2,
                )
            ),
            guidance=draw(
                st.lists(
                    st.builds(
                        model.Guidance,
                        body=texts,
                        stance=st.sampled_from(model.Stance),
                        summary=texts,
                        sources=some_sources,
                        year=years,
                    ),
                    max_size=1,
                )
            ),
            related=draw(st.lists(slugs, max_size=2)),
            identifiers=draw(st.lists(st.builds(model.Identifier, scheme=texts, value=texts), max_size=2)),
        )
        for i in draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    ]
    info = draw(
        st.none()
        | st.builds(
            model.DatasetInfo,
            version=texts,
            date=st.dates(dt.date(1990, 1, 1)),
            title=texts,
            license=optional_texts,
        )
    )
    return Dataset(info=info, sources=tuple(sources), symptoms=tuple(symptoms), treatments=tuple(treatments))


@settings(max_examples=150, deadline=None)
@given(datasets())
def test_any_dataset_round_trips(dataset: Dataset) -> None:
    assert _snapshot.loads(_snapshot.dumps(dataset)) == dataset
    assert _snapshot.loads(_snapshot.dumps(dataset).encode("utf-8")) == dataset


# -------------------------------------------------------------------- refusals


def document() -> dict[str, Any]:
    """The snapshot of the YAML data as its header, with its record lines under "rows"."""
    header_line, *rows = _snapshot.dumps(yaml_dataset()).rstrip("\n").split("\n")
    header: dict[str, Any] = json.loads(header_line)
    header["rows"] = rows
    return header


def encode(document: dict[str, Any], *, checksum: bool = True) -> str:
    """Snapshot text from :func:`document`'s form, its checksum made to match unless ``checksum`` is false."""
    import zlib

    header = dict(document)
    rows = header.pop("rows")
    body = "".join(row + "\n" for row in rows)
    if checksum:
        header["checksum"] = zlib.adler32(body.encode("utf-8"))
    return json.dumps(header) + "\n" + body


def first_treatment_line(document: dict[str, Any]) -> int:
    return len(document["sources"]) + len(document["symptoms"])


def set_in_first_treatment(document: dict[str, Any], index: int, value: object) -> None:
    """Change one field of the first treatment's record line."""
    line = first_treatment_line(document)
    row = json.loads(document["rows"][line])
    row[index] = value
    document["rows"][line] = json.dumps(row)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format=_snapshot.FORMAT + 1), "format"),
        (lambda d: d.update(version="0.0.0-other"), "version"),
        (lambda d: d["schema"]["Treatment"].pop(), "fields of Treatment"),
        (lambda d: d["schema"]["Treatment"].reverse(), "fields of Treatment"),
        (lambda d: d["schema"].update(Nonesuch=[]), "Nonesuch"),
        (lambda d: d["schema"]["Treatment"].__setitem__(2, ["category", "e:Nonesuch"]), "Nonesuch"),
        (lambda d: d["schema"]["Treatment"].__setitem__(2, ["category", "x:Category"]), "kind"),
        (lambda d: d["schema"]["Treatment"].__setitem__(4, ["sources", "R:Alias"]), "references to Alias"),
        (lambda d: set_in_first_treatment(d, 4, ["no-such-source"]), "does not decode"),
        (lambda d: set_in_first_treatment(d, 2, "no-such-category"), "does not decode"),
        (lambda d: d["rows"].__setitem__(first_treatment_line(d), "[not json"), "does not decode"),
        (lambda d: d["rows"].pop(), "record lines"),
        (lambda d: d["rows"].append("[]"), "record lines"),
        (lambda d: d.pop("treatments"), "does not decode"),
    ],
)
def test_a_foreign_or_damaged_snapshot_is_refused(change: Any, message: str) -> None:
    data = document()
    change(data)
    with pytest.raises(mecfs_treatments.SnapshotError, match=message):
        _snapshot.loads(encode(data))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: set_in_first_treatment(d, 2, "supplement"),
        lambda d: d["rows"].reverse(),
        lambda d: d["rows"].__setitem__(0, d["rows"][0] + " "),
    ],
)
def test_records_that_do_not_match_the_checksum_are_refused(change: Any) -> None:
    data = document()
    change(data)
    with pytest.raises(mecfs_treatments.SnapshotError, match="checksum"):
        _snapshot.Reader(encode(data, checksum=False))


def test_a_lazy_reader_decodes_each_record_once_and_shares_it() -> None:
    dataset = yaml_dataset()
    reader = _snapshot.Reader(_snapshot.dumps(dataset))
    first = dataset.treatments[0]
    decoded = reader.treatment(first.id)
    assert decoded == first
    assert reader.treatment(first.id) is decoded
    assert set(reader.names) == {t.id for t in dataset.treatments}
    assert reader.names[first.id] == list(first.names)
    whole = reader.dataset()
    assert whole == dataset
    # what was decoded before is reused, so objects stay shared
    assert whole.treatments[0] is decoded
    for treatment in whole.treatments:
        for target in treatment.targets:
            assert target.symptom is reader.symptom(target.symptom.id)


def test_a_damaged_record_is_refused_when_it_is_decoded() -> None:
    data = document()
    set_in_first_treatment(data, 2, "no-such-category")
    reader = _snapshot.Reader(encode(data))  # the header and layout are fine
    first = data["treatments"][0]
    with pytest.raises(mecfs_treatments.SnapshotError, match="does not decode"):
        reader.treatment(first)


def test_text_that_is_not_a_snapshot_is_refused() -> None:
    for text in ("", "{", "[]", "null", '{"format": 1}'):
        with pytest.raises(mecfs_treatments.SnapshotError):
            _snapshot.loads(text)


def test_a_value_the_layout_cannot_hold_is_refused_when_writing() -> None:
    dataset = yaml_dataset()
    odd = Dataset(
        info=dataset.info,
        sources=dataset.sources,
        symptoms=dataset.symptoms,
        treatments=(
            model.Treatment(
                id="x",
                name="X",
                category=model.Category.DRUG,
                summary="s",
                sources=(),
                related=(1.5j,),  # type: ignore[arg-type]
            ),
        ),
    )
    with pytest.raises(mecfs_treatments.SnapshotError, match=r"Treatment\.related"):
        _snapshot.dumps(odd)


def test_a_broken_snapshot_falls_back_to_the_yaml_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> _snapshot.Reader:
        raise mecfs_treatments.SnapshotError("the snapshot is not of format 1")

    monkeypatch.setattr(_snapshot, "open_bundled", broken)
    with pytest.warns(UserWarning, match="ignoring the bundled snapshot"):
        dataset = load_bundled()
    assert dataset == yaml_dataset()
    # the default catalogue takes the same way
    with pytest.warns(UserWarning, match="ignoring the bundled snapshot"):
        catalog = Catalog._bundled()
    assert catalog.dataset == yaml_dataset()


def test_a_lazily_read_catalogue_answers_like_a_built_one_under_threads() -> None:
    import threading

    dataset = yaml_dataset()
    built = Catalog(dataset)
    lazy = Catalog._from_reader(_snapshot.Reader(_snapshot.dumps(dataset)))
    names = [name for t in dataset.treatments for name in t.names]
    barrier = threading.Barrier(8)
    results: list[tuple[Any, ...]] = []

    def worker(offset: int) -> None:
        barrier.wait()
        gotten = [lazy.get(name) for name in names[offset::8]]
        results.append((gotten, lazy.treatments(), lazy.for_symptom("pain"), len(lazy)))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    everything = {t.id: t for t in lazy.treatments()}
    for gotten, treatments, pain, size in results:
        assert treatments == built.treatments()
        assert pain == built.for_symptom("pain")
        assert size == len(built)
        # every object handed out before the catalogue was complete is the one it holds now
        assert all(everything[t.id] is t for t in gotten)
    assert lazy.dataset == dataset


def test_a_snapshot_with_name_tables_answers_like_one_without() -> None:
    dataset = yaml_dataset()
    plain = Catalog._from_reader(_snapshot.Reader(_snapshot.dumps(dataset)))
    tables = Catalog(dataset)._names.tables()
    fast = Catalog._from_reader(_snapshot.Reader(_snapshot.dumps(dataset, name_tables=tables)))
    assert fast._names.exact == tables["exact"]
    for treatment in dataset.treatments:
        for name in (*treatment.lookup_names, treatment.id, treatment.name.upper()):
            assert fast.resolve(name) == plain.resolve(name) == treatment.id
    for typed in ("naltrexon", "mestinnon", "beta blocker", "zinc & melatonin"):
        assert fast.suggest(typed) == plain.suggest(typed)
        assert fast.find(typed) == plain.find(typed)
