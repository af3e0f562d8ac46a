"""Names people really type resolve to the right treatment or symptom.

The fixtures are NOT copied from the aliases in the YAML files. They come from names
seen in the three seed pages and in the research reference
(shared/reference/domain.md, section 3h "Alias seeds actually seen", brand names
marked "seen" in section 3, and the lay symptom terms of section 4.2). Brand names
the reference marks as unverified general knowledge are left out.

Where a treatment is not in the catalogue yet, its test fails: that is intended,
the failure lists what is still missing.

Treatments are matched by a pattern over the canonical id and name rather than by
an exact id, so the curators keep the choice of slug: "Ampligen" must land on a
treatment whose id or name says "rintatolimod".
"""

from __future__ import annotations

import re

import pytest

import mecfs_treatments
from mecfs_treatments import UnknownSymptomError, UnknownTreatmentError
from mecfs_treatments.names import normalize

# (what a user types, exact id) — the brief's own anchors.
EXACT = [
    ("Pitocin", "oxytocin"),
    ("Syntocinon", "oxytocin"),
    ("oxytocin", "oxytocin"),
    ("LDN", "low-dose-naltrexone"),
    ("ldn", "low-dose-naltrexone"),
    ("low dose naltrexone", "low-dose-naltrexone"),
    ("Low-Dose Naltrexone", "low-dose-naltrexone"),
    ("low–dose naltrexone", "low-dose-naltrexone"),  # typographic dash
    ("naltrexone", "naltrexone"),
]

# (what a user types, pattern the resolved treatment's "id name" must match, where seen)
TREATMENTS = [
    # seeds and 3h
    ("Revia", r"^naltrexone ", "naltrexone brands, MEpedia LDN page"),
    ("Vivitrol", r"^naltrexone ", "naltrexone brands, MEpedia LDN page"),
    ("Depade", r"^naltrexone ", "naltrexone brands, MEpedia LDN page"),
    ("Ampligen", r"rintatolimod", "PLoS One 2012; MEpedia"),
    ("Poly I:Poly C12U", r"rintatolimod", "PLoS One 2012"),
    ("Reminyl", r"galantamine", "health.am"),
    ("Xyrem", r"oxybate", "mdedge; webmd"),
    ("Rekinla", r"oxybate", "webmd 2010"),
    ("Lyrica", r"pregabalin", "PMC6093261"),
    ("Cymbalta", r"duloxetine", "PMC6093261"),
    ("Savella", r"milnacipran", "experts123"),
    ("Tonmya", r"cyclobenzaprine", "pharmacytimes"),
    ("TNX-102 SL", r"cyclobenzaprine", "pharmacytimes"),
    ("Vyvanse", r"lisdexamfetamine", "rcbm.net"),
    ("Ritalin", r"methylphenidate", "mecfsatlas card"),
    ("Darzalex", r"daratumumab", "Front Med 2025"),
    ("Paxlovid", r"nirmatrelvir", "Stanford news; JAMA Intern Med 2024"),
    ("rovunaptabin", r"bc ?007|rovunaptabin", "EClinicalMedicine 2025"),
    ("Isoprinosine", r"inosine", "J Chronic Fatigue Syndr 2003"),
    ("Staphypan", r"staphylococc", "MEpedia"),
    ("MelatoZinc", r"(?=.*melatonin)(?=.*zinc)", "NCT03000777"),
    ("ReConnect", r"(?=.*q ?10)(?=.*nadh)", "NCT03186027"),
    ("Corvalen", r"ribose", "Open Pain J 2012"),
    ("Efamol Marine", r"fatty acid|omega|primrose", "Acta Neurol Scand 1999"),
    ("AEO", r"oxaloacetate", "J Transl Med 2022"),
    ("anhydrous enol-oxaloacetate", r"oxaloacetate", "J Transl Med 2022"),
    ("St. Amand protocol", r"guaifenesin", "myalgia.com"),
    ("APT", r"pacing", "PACE trial"),
    ("adaptive pacing therapy", r"pacing", "PACE trial"),
    ("energy envelope", r"pacing", "CDC"),
    ("activity management", r"pacing", "NICE NG206"),
    ("HR pacing", r"heart rate", "Workwell"),
    ("GET", r"graded (exercise|activity)", "PACE; NICE NG206"),
    ("CBT", r"cognitive behaviou?ral", "PACE; NICE NG206"),
    ("Lightning Process", r"lightning", "SMILE trial; NICE NG206"),
    ("IVIG", r"immun(o)?globulin", "Am J Med 1997"),
    ("IV IgG", r"immun(o)?globulin", "reference 3e"),
    ("HBOT", r"hyperbaric", "reference 3g"),
    ("tVNS", r"vagus", "Wien Klin Wochenschr 2025"),
    ("taVNS", r"vagus", "reference 3g"),
    ("FMT", r"f(a)?ecal microbiota", "J Transl Med 2023"),
    ("TheraSorb", r"immunoadsorption", "J Clin Med 2023"),
    ("plasmapheresis", r"plasma", "dismech PR 3149"),
    ("Baduanjin", r"qigong", "eCAM 2013"),
    ("oral rehydration solution", r"salt|fluid|rehydration", "openmecfs"),
    ("saline infusions", r"saline", "Health Rising 2017; Front Neurol 2025"),
    ("abdominal binder", r"compression|binder", "openmecfs"),
    ("CCI surgery", r"craniocervical|fusion", "MEpedia"),
    # generic names and how people write them
    ("CoQ10", r"coenzyme q ?10|coq ?10", "reference 3f"),
    ("Co-Q10", r"coenzyme q ?10|coq ?10", "spelling"),
    ("acetyl-L-carnitine", r"carnitine", "Psychosom Med 2004"),
    ("magnesium sulphate", r"magnesium", "BMJ 1996 letter"),
    ("evening primrose oil", r"fatty acid|omega|primrose", "AMMES tag page"),
    ("melatonin", r"melatonin", "mecfsatlas"),
    ("rituximab", r"rituximab", "Fluge 2019"),
    ("fludrocortisone", r"fludrocortisone", "JAMA 2001"),
    ("pyridostigmine", r"pyridostigmine", "Chest 2022"),
    ("ivabradine", r"ivabradine", "JACC 2021"),
    ("midodrine", r"midodrine", "PMC8920526"),
    ("valganciclovir", r"valganciclovir", "J Med Virol 2013"),
    ("hydrocortisone", r"hydrocortisone", "JAMA 1998"),
    ("modafinil", r"modafinil", "J Psychopharmacol 2005"),
    ("aripiprazole", r"aripiprazole", "J Transl Med 2021"),
    ("amitriptyline", r"amitriptyline", "Medscape consensus"),
    ("trazodone", r"trazodone", "Medscape consensus"),
]

# (lay or clinical term, symptom id, where the usage was seen)
SYMPTOMS = [
    ("brain fog", "cognitive-impairment", "IOM-era sources; J Transl Med 2021"),
    ("Brain Fog", "cognitive-impairment", "case"),
    ("brain-fog", "cognitive-impairment", "hyphen"),
    ("fibro fog", "cognitive-impairment", "medicinenet"),
    ("mental fatigue", "cognitive-impairment", "s4me terminology thread"),
    ("crash", "post-exertional-malaise", "Wikipedia ME/CFS lead; CDC 'push and crash'"),
    ("payback", "post-exertional-malaise", "disabledintorybritain"),
    ("setback", "post-exertional-malaise", "HPO issue 7694"),
    ("PEM", "post-exertional-malaise", "IOM; CDC"),
    ("post exertional malaise", "post-exertional-malaise", "spelling"),
    ("PENE", "post-exertional-malaise", "ICC 2011"),
    ("post-exertional symptom exacerbation", "post-exertional-malaise", "HPO label"),
    ("unrefreshing sleep", "unrefreshing-sleep", "IOM"),
    ("non-restorative sleep", "unrefreshing-sleep", "IOM; ICC"),
    ("unrefreshed sleep", "unrefreshing-sleep", "ICC 2011"),
    ("wake up exhausted", "unrefreshing-sleep", "ICC 2011"),
    ("fluey", "flu-like-symptoms", "Phoenix Rising LDN seed"),
    ("fluey feelings", "flu-like-symptoms", "Phoenix Rising LDN seed"),
    ("flu-like symptoms", "flu-like-symptoms", "ICC"),
    ("can't stand", "orthostatic-intolerance", "IOM (worse upright)"),
    ("lightheaded on standing", "orthostatic-intolerance", "IOM; openmecfs"),
    ("POTS", "orthostatic-intolerance", "reference 4.2"),
    ("OI", "orthostatic-intolerance", "IOM"),
    ("loss of libido", "reduced-libido", "AMMES oxytocin seed"),
    ("low exercise tolerance", "exercise-intolerance", "AMMES oxytocin seed"),
    ("sleep disturbances", "sleep-disturbance", "AMMES oxytocin seed"),
    ("short-term memory loss", "memory-impairment", "ICC 2011"),
    ("muscle pain", "myalgia", "Fukuda 1994"),
    ("joint pain", "arthralgia", "Fukuda 1994"),
    ("headaches", "headache", "Fukuda 1994"),
    ("sore throat", "sore-throat", "Fukuda 1994"),
    ("tender lymph nodes", "tender-lymph-nodes", "Fukuda 1994"),
    ("painful lymph nodes", "tender-lymph-nodes", "CDC 1988 criteria"),
    ("sensitivity to light", "sensory-hypersensitivity", "IOM; Bateman 2021"),
    ("multiple chemical sensitivity", "chemical-sensitivity", "ICC 2011"),
    ("IBS", "irritable-bowel", "CCC"),
    ("heat intolerance", "thermoregulation", "ICC 2011"),
    ("air hunger", "respiratory", "ICC 2011"),
    ("exhaustion", "fatigue", "ICC 2011"),
]


def _key(treatment: mecfs_treatments.Treatment) -> str:
    return f"{treatment.id} {normalize(treatment.name)}"


@pytest.mark.parametrize(("typed", "expected"), EXACT, ids=[t for t, _ in EXACT])
def test_anchor_names_resolve(typed: str, expected: str) -> None:
    assert mecfs_treatments.resolve(typed) == expected
    assert mecfs_treatments.get(typed).id == expected


@pytest.mark.parametrize(("typed", "pattern", "seen_in"), TREATMENTS, ids=[t for t, _, _ in TREATMENTS])
def test_common_treatment_names_resolve(typed: str, pattern: str, seen_in: str) -> None:
    try:
        treatment = mecfs_treatments.get(typed)
    except UnknownTreatmentError as error:
        pytest.fail(f"{typed!r} (seen in {seen_in}) resolves to nothing; suggestions: {error.suggestions}")
    assert re.search(pattern, _key(treatment)), (
        f"{typed!r} resolved to {treatment.id!r} ({treatment.name}), expected /{pattern}/"
    )
    # The same name in other cases and spacing reaches the same treatment.
    assert mecfs_treatments.resolve(typed.lower()) == treatment.id
    assert mecfs_treatments.resolve(f" {typed.upper()}  ") == treatment.id


@pytest.mark.parametrize(("term", "expected", "seen_in"), SYMPTOMS, ids=[t for t, _, _ in SYMPTOMS])
def test_common_symptom_terms_resolve(term: str, expected: str, seen_in: str) -> None:
    try:
        found = mecfs_treatments.symptom(term)
    except UnknownSymptomError as error:
        pytest.fail(f"{term!r} (seen in {seen_in}) is unknown; suggestions: {error.suggestions}")
    assert found.id == expected


@pytest.mark.parametrize(
    ("lay", "clinical"),
    [
        ("brain fog", "cognitive-impairment"),
        ("crash", "post-exertional-malaise"),
        ("fluey", "flu-like-symptoms"),
    ],
)
def test_lay_terms_find_the_same_treatments(lay: str, clinical: str) -> None:
    assert mecfs_treatments.for_symptom(lay) == mecfs_treatments.for_symptom(clinical)


def test_brain_fog_finds_treatments() -> None:
    assert mecfs_treatments.for_symptom("brain fog"), "nothing targets brain fog"


def test_typo_gets_a_suggestion() -> None:
    with pytest.raises(UnknownTreatmentError) as caught:
        mecfs_treatments.get("Pitocinn")
    assert "Oxytocin" in caught.value.suggestions


def test_unknown_symptom_is_a_key_error_with_suggestions() -> None:
    with pytest.raises(KeyError) as caught:
        mecfs_treatments.symptom("brain fogg")
    assert isinstance(caught.value, UnknownSymptomError)
    assert "Cognitive impairment" in caught.value.suggestions
