"""Shared fixtures: a small valid dataset folder that tests can break one way at a time."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

# No per-example deadline: speed is measured by the benchmarks, and a timed property
# would fail on a busy machine for reasons that have nothing to do with its rule.
settings.register_profile("mecfs", deadline=None)
settings.load_profile("mecfs")

DatasetFactory = Callable[..., Path]

# Classes of the model that no data file holds: a loaded dataset, field rules, origins, summaries.
NOT_IN_FILES = {
    "Dataset",
    "Rule",
    "Layer",
    "Addition",
    "Provenance",
    "EvidenceSummary",
    "EvidenceLevel",
    "PatientFigures",
    "Comparison",
}


def minimal_documents() -> dict[str, Any]:
    """The plain data of a small, valid dataset."""
    return {
        "dataset.yaml": {"version": "1.0", "date": "2026-01-02", "title": "test data"},
        "symptoms.yaml": [
            {"id": "pain", "label": "Pain", "domain": "pain", "synonyms": ["aches"]},
            {"id": "headache", "label": "Headache", "domain": "pain", "broader": "pain"},
            {"id": "fatigue", "label": "Fatigue", "domain": "fatigue", "synonyms": ["exhaustion"]},
        ],
        "sources/main.yaml": [
            {"id": "src-a", "title": "Source A", "kind": "journal-article", "pmid": "12345"},
            {"id": "src-b", "title": "Source B", "kind": "other", "url": "https://example.org/b"},
        ],
        "treatments/alpha.yaml": {
            "id": "alpha",
            "name": "Alphazol",
            "aliases": [{"name": "AZ-1", "kind": "code-name"}, {"name": "Alphix", "kind": "brand"}],
            "category": "drug",
            "access": ["prescription"],
            "summary": "A test drug.",
            "sources": ["src-a"],
            "mechanisms": [
                {
                    "name": "Blocks X",
                    "description": "It blocks X.",
                    "status": "proposed",
                    "sources": ["src-a"],
                }
            ],
            "targets": [{"symptom": "headache", "sources": ["src-a"]}],
            "evidence": [
                {
                    "kind": "randomised-trial",
                    "direction": "no-effect",
                    "summary": "No better than placebo.",
                    "sources": ["src-a"],
                    "participants": 40,
                    "case_definition": "ccc-2003",
                    "pem_required": True,
                }
            ],
        },
        "treatments/beta.yaml": {
            "id": "beta",
            "name": "Beta Therapy",
            "category": "self-management",
            "summary": "A test practice.",
            "sources": ["src-b"],
            "targets": [{"symptom": "fatigue", "sources": ["src-b"]}],
            "evidence": [
                {
                    "kind": "patient-survey",
                    "direction": "harm",
                    "summary": "Many felt worse.",
                    "sources": ["src-b"],
                }
            ],
            "related": ["alpha"],
        },
    }


def write_documents(root: Path, documents: dict[str, Any]) -> Path:
    for rel, data in documents.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, (str, bytes)):
            path.write_bytes(data.encode() if isinstance(data, str) else data)
        else:
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture
def make_dataset(tmp_path: Path) -> DatasetFactory:
    """Write the minimal dataset, with ``changes`` applied (a value of None deletes a file)."""

    def make(
        changes: dict[str, Any] | None = None, *, edit: Callable[[dict[str, Any]], None] | None = None
    ) -> Path:
        documents = minimal_documents()
        if edit is not None:
            edit(documents)
        for rel, value in (changes or {}).items():
            if value is None:
                documents.pop(rel, None)
            else:
                documents[rel] = value
        root = tmp_path / "data"
        return write_documents(root, documents)

    return make


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh interpreter; never raises for its exit status."""
    return subprocess.run(
        [sys.executable, "-m", "mecfs_treatments", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
