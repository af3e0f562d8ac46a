"""Integrity of the bundled dataset, checked record by record.

These tests read the catalogue that ships inside the package (``Catalog.default()``)
and are parametrised by treatment, symptom and source id, so that a failure names the
record at fault. They check what the loader cannot check on its own: that names
resolve back to their treatment, that every claim is sourced, that evidence is
honest about negative findings, that no source is left uncited, and that the
catalogue has reached its target size.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib.resources import files

import pytest

import mecfs_treatments
from mecfs_treatments import Catalog
from mecfs_treatments.model import Direction
from mecfs_treatments.names import compact, normalize

DATA = files("mecfs_treatments") / "data"

# Ids are taken from the file names, not from the loader, so that collection works
# even when the loader rejects the data (every test then fails with its message).
TREATMENT_IDS = sorted(
    item.name.rsplit(".", 1)[0]
    for item in (DATA / "treatments").iterdir()
    if item.name.endswith((".yaml", ".yml"))
)

MIN_TREATMENTS = 60
"""The catalogue's target size: the candidate list holds 83 treatments."""

# The symptom ids other parts of the dataset rely on.
REQUIRED_SYMPTOMS = frozenset(
    [
        "fatigue",
        "post-exertional-malaise",
        "exercise-intolerance",
        "sleep-disturbance",
        "unrefreshing-sleep",
        "insomnia",
        "hypersomnia",
        "cognitive-impairment",
        "memory-impairment",
        "pain",
        "myalgia",
        "arthralgia",
        "headache",
        "neuropathic-pain",
        "orthostatic-intolerance",
        "tachycardia",
        "palpitations",
        "dizziness",
        "flu-like-symptoms",
        "sore-throat",
        "tender-lymph-nodes",
        "recurrent-infections",
        "sensory-hypersensitivity",
        "chemical-sensitivity",
        "thermoregulation",
        "gastrointestinal",
        "nausea",
        "irritable-bowel",
        "genitourinary",
        "respiratory",
        "muscle-weakness",
        "anxiety",
        "depression",
        "reduced-libido",
        "functional-impairment",
        "flushing",
    ]
)

# Trial registries whose ids may appear in `trial_id`, with the shape of their ids.
TRIAL_ID_PATTERNS = {
    "ClinicalTrials.gov": r"NCT\d{8}",
    "ISRCTN": r"ISRCTN\d{8}",
    "EudraCT": r"(EudraCT )?\d{4}-\d{6}-\d{2}",
    "EU CTR": r"\d{4}-\d{6}-\d{2}-\d{2}",
    "ANZCTR": r"ACTRN\d{14}",
    "DRKS": r"DRKS\d{8}",
    "ChiCTR": r"ChiCTR[-\w]+",
    "HKCTR": r"HKCTR-\d+",
    "NTR": r"(NTR|NL)\d+",
    "UMIN": r"UMIN\d{9}",
    "jRCT": r"jRCT\w+",
    "CRIS": r"KCT\d{7}",
    "CTRI": r"CTRI/\d{4}/\d+/\d+",
    "IRCT": r"IRCT\w+",
    "PACTR": r"PACTR\d+",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.default()


def _treatment(catalog: Catalog, treatment_id: str) -> mecfs_treatments.Treatment:
    return catalog.get(treatment_id)


# ------------------------------------------------------------------ the whole set


def test_catalogue_holds_every_file(catalog: Catalog) -> None:
    loaded = sorted(t.id for t in catalog.treatments())
    assert loaded == TREATMENT_IDS


def test_treatment_ids_are_unique(catalog: Catalog) -> None:
    ids = [t.id for t in catalog.treatments()]
    assert len(ids) == len(set(ids))


def test_catalogue_reaches_its_target_size(catalog: Catalog) -> None:
    assert len(catalog.treatments()) >= MIN_TREATMENTS, (
        f"{len(catalog.treatments())} treatments; the target is at least {MIN_TREATMENTS}"
    )


@pytest.mark.parametrize("direction", [Direction.NO_EFFECT, Direction.HARM])
def test_negative_evidence_is_recorded(catalog: Catalog, direction: Direction) -> None:
    """Negative trials and harms are first-class: the catalogue must hold some."""
    found = [t.id for t in catalog.treatments() if direction in t.directions]
    assert found, f"no evidence item anywhere has direction {direction.value!r}"


def test_guidance_against_treatments_is_recorded(catalog: Catalog) -> None:
    """NICE NG206 tells clinicians not to offer some treatments; that must show."""
    stances = {g.stance.value for t in catalog.treatments() for g in t.guidance}
    assert "do-not-offer" in stances


def test_dataset_version_and_date() -> None:
    info = mecfs_treatments.dataset_info()
    assert isinstance(info.version, str)
    assert info.version.strip()
    assert isinstance(info.date, dt.date)
    assert info.date.year >= 2025
    calver = re.fullmatch(r"(\d{4})\.(\d{1,2})\.(\d{1,2})(?:\.\d+)?", info.version)
    if calver:  # a date-shaped version must name the dataset's date
        year, month, day = map(int, calver.groups())
        assert dt.date(year, month, day) == info.date, (
            f"version {info.version} does not match date {info.date}"
        )


# ------------------------------------------------------------------- per treatment


@pytest.mark.parametrize("treatment_id", TREATMENT_IDS)
def test_every_name_resolves_to_its_own_treatment(catalog: Catalog, treatment_id: str) -> None:
    treatment = _treatment(catalog, treatment_id)
    for name in (treatment.id, *treatment.names):
        assert catalog.resolve(name) == treatment_id, name
        assert catalog.resolve(name.upper()) == treatment_id, name.upper()
        assert catalog.resolve(f"  {name.replace('-', ' ')} ") == treatment_id, name
        assert mecfs_treatments.resolve(name) == treatment_id, name


@pytest.mark.parametrize("treatment_id", TREATMENT_IDS)
def test_aliases_do_not_repeat_the_name(catalog: Catalog, treatment_id: str) -> None:
    treatment = _treatment(catalog, treatment_id)
    own = {compact(treatment.name)}
    keys = [compact(a.name) for a in treatment.aliases]
    repeats = [a.name for a in treatment.aliases if compact(a.name) in own]
    assert not repeats, f"aliases that only restate the canonical name: {repeats}"
    assert len(keys) == len(set(keys)), "two aliases differ only in case, spaces or hyphens"


@pytest.mark.parametrize("treatment_id", TREATMENT_IDS)
def test_treatment_has_summary_mechanism_and_evidence(catalog: Catalog, treatment_id: str) -> None:
    treatment = _treatment(catalog, treatment_id)
    assert treatment.summary.strip(), "empty summary"
    assert treatment.name.strip(), "empty name"
    assert treatment.mechanisms, "no mechanism"
    assert treatment.evidence, "no evidence item"


@pytest.mark.parametrize("treatment_id", TREATMENT_IDS)
def test_every_claim_has_a_source(catalog: Catalog, treatment_id: str) -> None:
    treatment = _treatment(catalog, treatment_id)
    unsourced = [
        f"{field}[{i}]"
        for field in (
            "uses",
            "mechanisms",
            "targets",
            "evidence",
            "gaps",
            "side_effects",
            "notes",
            "guidance",
        )
        for i, item in enumerate(getattr(treatment, field))
        if not item.sources
    ]
    if not treatment.sources:
        unsourced.insert(0, "sources")
    assert not unsourced, f"items without a source: {unsourced}"


@pytest.mark.parametrize("treatment_id", TREATMENT_IDS)
def test_related_treatments_exist(catalog: Catalog, treatment_id: str) -> None:
    treatment = _treatment(catalog, treatment_id)
    ids = {t.id for t in catalog.treatments()}
    missing = [r for r in treatment.related if r not in ids]
    assert not missing, f"related ids not in the catalogue: {missing}"
    assert treatment_id not in treatment.related


@pytest.mark.parametrize("treatment_id", TREATMENT_IDS)
def test_evidence_fields_are_consistent(catalog: Catalog, treatment_id: str) -> None:
    treatment = _treatment(catalog, treatment_id)
    last_year = mecfs_treatments.dataset_info().date.year
    for i, item in enumerate(treatment.evidence):
        where = f"evidence[{i}]"
        assert item.summary.strip(), where
        # A definition that requires PEM cannot describe a PEM-optional population.
        if item.case_definition is not None and item.case_definition.requires_pem:
            assert item.pem_required is not False, (
                f"{where}: {item.case_definition.value} requires PEM but pem_required is false"
            )
        if item.year is not None:
            assert 1900 <= item.year <= last_year, f"{where}: year {item.year}"
        if item.participants is not None:
            assert item.participants >= 1, where
    for i, guidance in enumerate(treatment.guidance):
        if guidance.year is not None:
            assert 1900 <= guidance.year <= last_year, f"guidance[{i}]: year {guidance.year}"


# --------------------------------------------------------------------- symptoms


def test_required_symptoms_exist(catalog: Catalog) -> None:
    ids = {s.id for s in catalog.symptoms()}
    assert ids >= REQUIRED_SYMPTOMS, f"missing: {sorted(REQUIRED_SYMPTOMS - ids)}"


def test_symptom_ids_are_unique(catalog: Catalog) -> None:
    ids = [s.id for s in catalog.symptoms()]
    assert len(ids) == len(set(ids))


def _symptom_ids() -> list[str]:
    import yaml

    data = yaml.safe_load((DATA / "symptoms.yaml").read_text(encoding="utf-8"))
    return [item["id"] for item in data]


SYMPTOM_IDS = _symptom_ids()


@pytest.mark.parametrize("symptom_id", SYMPTOM_IDS)
def test_broader_chain_ends_without_a_cycle(catalog: Catalog, symptom_id: str) -> None:
    ids = {s.id: s for s in catalog.symptoms()}
    seen = [symptom_id]
    step = ids[symptom_id].broader
    while step is not None:
        assert step in ids, f"broader id {step!r} is not a symptom"
        assert step not in seen, f"cycle: {' -> '.join([*seen, step])}"
        seen.append(step)
        step = ids[step].broader


@pytest.mark.parametrize("symptom_id", SYMPTOM_IDS)
def test_symptom_names_resolve_to_the_symptom(catalog: Catalog, symptom_id: str) -> None:
    symptom = next(s for s in catalog.symptoms() if s.id == symptom_id)
    for name in (symptom.id, *symptom.names):
        assert catalog.symptom(name).id == symptom_id, name
        assert catalog.symptom(name.upper()).id == symptom_id, name.upper()


def test_symptom_synonyms_are_unambiguous(catalog: Catalog) -> None:
    owners: dict[str, str] = {}
    clashes = []
    for symptom in catalog.symptoms():
        for name in (symptom.id, *symptom.names):
            key = compact(name)
            if owners.setdefault(key, symptom.id) != symptom.id:
                clashes.append((name, symptom.id, owners[key]))
    assert not clashes, clashes


@pytest.mark.parametrize("symptom_id", SYMPTOM_IDS)
def test_symptom_without_hpo_id_says_why(catalog: Catalog, symptom_id: str) -> None:
    symptom = next(s for s in catalog.symptoms() if s.id == symptom_id)
    if symptom.hpo is None:
        assert symptom.hpo_note, "no HPO id and no hpo_note explaining why"
    else:
        assert re.fullmatch(r"HP:\d{7}", symptom.hpo)


@pytest.mark.parametrize("symptom_id", SYMPTOM_IDS)
def test_symptom_is_described(catalog: Catalog, symptom_id: str) -> None:
    symptom = next(s for s in catalog.symptoms() if s.id == symptom_id)
    assert symptom.label.strip()
    assert symptom.description, "no description"
    assert symptom.description.strip(), "blank description"


# ---------------------------------------------------------------------- sources


def _source_ids() -> list[str]:
    import yaml

    ids: list[str] = []
    for item in sorted((DATA / "sources").iterdir(), key=lambda i: i.name):
        if item.name.endswith((".yaml", ".yml")):
            ids.extend(s["id"] for s in yaml.safe_load(item.read_text(encoding="utf-8")) or ())
    return ids


SOURCE_IDS = _source_ids()


@pytest.fixture(scope="module")
def cited(catalog: Catalog) -> frozenset[str]:
    ids = {s.id for t in catalog.treatments() for s in t.cited_sources()}
    ids |= {s.id for sym in catalog.symptoms() for s in sym.sources}
    return frozenset(ids)


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_source_is_cited(cited: frozenset[str], source_id: str) -> None:
    """A source nothing cites is a left-over of a removed claim, or a claim never written."""
    assert source_id in cited, f"source {source_id!r} is cited by no treatment or symptom"


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_source_locators_have_the_right_shape(catalog: Catalog, source_id: str) -> None:
    source = catalog.source(source_id)
    if source.pmid is not None:
        assert re.fullmatch(r"[1-9]\d{0,8}", source.pmid), f"pmid {source.pmid!r}"
    if source.doi is not None:
        assert re.fullmatch(r"10\.\d{4,9}/\S+", source.doi), f"doi {source.doi!r}"
        assert not source.doi.lower().startswith(("http", "doi:")), source.doi
    if source.trial_id is not None:
        ids = [part.strip() for part in re.split(r"[;,]", source.trial_id)]
        for trial_id in ids:
            assert any(re.fullmatch(p, trial_id) for p in TRIAL_ID_PATTERNS.values()), (
                f"trial id {trial_id!r} has no known registry shape"
            )
            if trial_id.upper().startswith("NCT"):
                assert re.fullmatch(r"NCT\d{8}", trial_id), trial_id
    if source.url is not None:
        assert re.fullmatch(r"https?://[^\s/]+\.[^\s/]+(/\S*)?", source.url), f"url {source.url!r}"
    assert source.title.strip()
    if source.year is not None:
        assert 1900 <= source.year <= mecfs_treatments.dataset_info().date.year


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_unverified_source_says_what_was_not_checked(catalog: Catalog, source_id: str) -> None:
    source = catalog.source(source_id)
    if not source.verified:
        assert source.note, "verified: false without a note saying what was not checked"


def test_source_ids_are_unique() -> None:
    assert len(SOURCE_IDS) == len(set(SOURCE_IDS))


def test_normalisation_is_the_documented_one() -> None:
    # The tests above rely on these two keys; a change to them changes what "unique" means.
    assert normalize("Low–Dose  NALTREXONE") == "low dose naltrexone"
    assert compact("Co-Q 10") == "coq10"
