"""The command line, run for real in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DatasetFactory, run_cli

NOTICE = "Not medical advice"


cli = run_cli


def test_show_by_brand_name() -> None:
    result = cli("show", "Pitocin")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Oxytocin  [oxytocin]")
    assert "Syntocinon (brand)" in out
    assert "clinician report (not proof)" in out
    assert "BENEFIT" in out
    assert "https://ammes.org/?post_type=treatments&p=5400" in out
    assert NOTICE in out


def test_show_json() -> None:
    result = cli("show", "ldn", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "low-dose-naltrexone"
    assert {s["id"] for s in data["sources_cited"]} >= {"phoenix-rising-ldn", "optimal-wellness-ldn"}
    assert all("direction" in e and "kind" in e for e in data["evidence"])


def test_unknown_name_exits_non_zero_with_suggestions() -> None:
    result = cli("show", "naltrexon")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "did you mean 'Naltrexone' or 'Low Dose Naltrexone'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_symptom_exits_non_zero() -> None:
    result = cli("symptom", "brain fogg")
    assert result.returncode == 1
    assert "no symptom named 'brain fogg'" in result.stderr
    assert "Traceback" not in result.stderr


def test_list_and_json_agree() -> None:
    text = cli("list")
    data = json.loads(cli("list", "--json").stdout)
    assert text.returncode == 0
    assert len(data) >= 3
    for item in data:
        assert f"[{item['id']}]" in text.stdout
    assert NOTICE in text.stdout


def test_search() -> None:
    result = cli("search", "naltrex", "--json")
    ids = [m["id"] for m in json.loads(result.stdout)]
    assert ids[:2] == ["naltrexone", "low-dose-naltrexone"]
    assert "Naltrexone" in cli("search", "naltrex").stdout


def test_compare_prints_summaries_side_by_side() -> None:
    import mecfs_treatments

    result = cli("compare", "GET", "Pitocin", "LDN", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [item["id"] for item in data] == ["graded-exercise-therapy", "oxytocin", "low-dose-naltrexone"]
    for item in data:
        summary = mecfs_treatments.get(item["id"]).evidence_summary
        assert item["summary"]["label"] == summary.label
        assert item["summary"]["level"] == summary.level.label
    text = cli("compare", "GET", "Pitocin")
    assert "Graded exercise therapy" in text.stdout
    assert "harm reported" in text.stdout
    assert NOTICE in text.stdout
    per_symptom = json.loads(cli("compare", "GET", "--symptom", "crash", "--json").stdout)
    catalog = mecfs_treatments.Catalog.default()
    get = catalog.get("GET")
    assert per_symptom[0]["summary"]["label"] == catalog.symptom_summary(get, "crash").label


def test_compare_with_an_unknown_name_exits_non_zero() -> None:
    result = cli("compare", "GET", "oxytocn")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "did you mean 'Oxytocin'" in result.stderr
    assert "Traceback" not in result.stderr


def test_symptom_by_lay_term() -> None:
    result = cli("symptom", "brain fog", "--json")
    data = json.loads(result.stdout)
    assert data["symptom"]["id"] == "cognitive-impairment"
    assert "oxytocin" in [t["id"] for t in data["treatments"]]
    assert "Cognitive impairment" in cli("symptom", "brain fog").stdout


def test_symptoms_and_stats() -> None:
    symptoms = json.loads(cli("symptoms", "--json").stdout)
    assert "post-exertional-malaise" in [s["id"] for s in symptoms]
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["treatments"] == len(json.loads(cli("list", "--json").stdout))
    assert stats["dataset_version"]
    assert sum(stats["by_direction"].values()) == stats["evidence_items"]
    assert "Evidence by direction" in cli("stats").stdout


def test_version_names_the_dataset() -> None:
    out = cli("--version").stdout
    assert out.startswith("mecfs_treatments ")
    assert "dataset" in out


def test_export_round_trips() -> None:
    from mecfs_treatments import Catalog
    from mecfs_treatments.export import dataset_from_data

    data = json.loads(cli("export").stdout)
    assert dataset_from_data(data) == Catalog.default().dataset


def test_own_data_folder(make_dataset: DatasetFactory) -> None:
    path = make_dataset()
    result = cli("--data", str(path), "show", "AZ-1")
    assert result.returncode == 0, result.stderr
    assert "Alphazol" in result.stdout


def test_broken_data_folder_is_a_clean_error(make_dataset: DatasetFactory) -> None:
    path = make_dataset(edit=lambda d: d["treatments/alpha.yaml"].update(category="potion"))
    result = cli("--data", str(path), "list")
    assert result.returncode == 3
    assert "treatments/alpha.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script() -> None:
    script = Path(sys.executable).parent / "mecfs-treatments"
    if not script.exists():
        pytest.skip("the console script is installed only with the package")
    result = subprocess.run([str(script), "show", "Syntocinon"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("Oxytocin")
