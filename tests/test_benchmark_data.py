"""The synthetic dataset of the benchmarks is a valid dataset of the size asked for."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mecfs_treatments import Catalog

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "synthetic.py"


@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    if not SCRIPT.is_file():
        pytest.skip("the benchmarks are not in this copy of the project")
    spec = importlib.util.spec_from_file_location("benchmark_synthetic", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("treatments", "aliases"), [(1, 0), (40, 200), (75, 130)])
def test_synthetic_dataset_loads_with_the_counts_asked_for(
    synthetic: ModuleType, tmp_path: Path, treatments: int, aliases: int
) -> None:
    made = synthetic.write_dataset(tmp_path / "data", treatments, aliases, sources=150)
    catalog = Catalog.from_path(made.folder)
    assert len(catalog) == made.treatments == treatments
    assert sum(len(t.aliases) for t in catalog.treatments()) == made.aliases == aliases
    assert len(made.names) == treatments + aliases
    # Every generated name resolves to a treatment, and to the one that carries it.
    ids = catalog.resolve_many(made.names)
    assert None not in ids
    for treatment in catalog.treatments():
        assert catalog.resolve_many(treatment.names) == [treatment.id] * len(treatment.names)
    # Shaped like the bundled files: a couple of kilobytes a treatment.
    sizes = [f.stat().st_size for f in (made.folder / "treatments").iterdir()]
    assert 1_000 < sum(sizes) / len(sizes) < 4_000


def test_synthetic_dataset_is_the_same_for_the_same_seed(synthetic: ModuleType, tmp_path: Path) -> None:
    one = synthetic.write_dataset(tmp_path / "one", 20, 60, sources=100)
    two = synthetic.write_dataset(tmp_path / "two", 20, 60, sources=100)
    assert one.names == two.names
    assert [p.read_bytes() for p in sorted((tmp_path / "one").rglob("*.yaml"))] == [
        p.read_bytes() for p in sorted((tmp_path / "two").rglob("*.yaml"))
    ]
