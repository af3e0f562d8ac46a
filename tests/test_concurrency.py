"""Threads share one lazily built default catalogue; catalogues, records and errors cross processes."""

from __future__ import annotations

import copy
import json
import multiprocessing
import pickle
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import pytest

import mecfs_treatments
from mecfs_treatments import Catalog, DatasetError, UnknownSymptomError, UnknownTreatmentError

from .conftest import DatasetFactory, write_documents

COLD_START = textwrap.dedent(
    """
    import json, sys, threading, time

    import mecfs_treatments
    from mecfs_treatments import Catalog, catalog

    builds = []
    loads = []
    real_build = Catalog._build
    real_bundled = Catalog._bundled

    def counting_build(self, *args, **kwargs):
        builds.append(threading.get_ident())
        real_build(self, *args, **kwargs)

    def slow_bundled():
        loads.append(1)
        time.sleep(0.2)  # keep the door open: every thread arrives while the first reads
        return real_bundled()

    # _bundled reads the package's data (its snapshot, else its YAML); _build makes the
    # indexes, at once from YAML or on the first call that needs them from a snapshot.
    Catalog._build = counting_build
    Catalog._bundled = staticmethod(slow_bundled)
    sys.setswitchinterval(1e-6)
    assert catalog._DEFAULT.catalog is None, "importing read data"

    THREADS = int(sys.argv[1])
    barrier = threading.Barrier(THREADS)
    seen, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            calls = [
                Catalog.default,
                lambda: mecfs_treatments.get("LDN").id,
                lambda: mecfs_treatments.resolve("pitocin"),
                lambda: mecfs_treatments.for_symptom("brain fog"),
                lambda: mecfs_treatments.suggest("naltrexon"),
            ]
            calls[i % len(calls)]()
            seen.append(id(Catalog.default()))
        except BaseException as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"builds": len(builds), "loads": len(loads), "catalogues": len(set(seen)),
                      "answers": len(seen), "errors": errors}))
    """
)


def test_many_threads_on_a_cold_start_build_the_default_catalogue_once() -> None:
    threads = 64
    done = subprocess.run(
        [sys.executable, "-c", COLD_START, str(threads)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["errors"] == []
    assert result["answers"] == threads
    assert result["catalogues"] == 1
    assert result["builds"] == 1
    assert result["loads"] == 1


def test_threads_share_a_catalogue_and_agree_with_one_thread() -> None:
    catalog = Catalog.default()
    queries = [name for t in catalog.treatments() for name in t.names] + [
        "naltrexon",
        "pitocn",
        "zzzq",
        "brain",
    ]
    expected = [
        (catalog.find(q), catalog.suggest(q), [m.treatment.id for m in catalog.search(q)]) for q in queries
    ]
    fresh = Catalog(catalog.dataset)  # cold indexes: the first misses build them concurrently

    def answer(q: str) -> tuple[Any, ...]:
        return (fresh.find(q), fresh.suggest(q), [m.treatment.id for m in fresh.search(q)])

    with ThreadPoolExecutor(max_workers=16) as pool:
        got = list(pool.map(answer, queries * 4))
    assert got == expected * 4


# -------------------------------------------------------------------- pickling


def test_model_records_pickle_and_compare_equal() -> None:
    catalog = Catalog.default()
    records: list[Any] = [*catalog.treatments(), *catalog.symptoms(), *catalog.sources(), catalog.info]
    for treatment in catalog.treatments()[:5]:
        records += [*treatment.evidence, *treatment.aliases, *treatment.targets, *treatment.mechanisms]
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        for record in records:
            assert pickle.loads(pickle.dumps(record, protocol)) == record


def test_a_catalogue_pickles_with_its_whole_dataset(make_dataset: DatasetFactory) -> None:
    catalog = Catalog.from_path(make_dataset())
    copied = pickle.loads(pickle.dumps(catalog))
    assert copied.dataset == catalog.dataset
    assert copied.resolve("alphix") == "alpha"
    assert pickle.loads(pickle.dumps(Catalog.default())).get("LDN") == mecfs_treatments.get("LDN")


def error_fields(error: BaseException) -> dict[str, Any]:
    names = ("query", "suggestions", "problem", "file", "entry", "field")
    return {name: getattr(error, name) for name in names if hasattr(error, name)} | {
        "type": type(error),
        "str": str(error),
        "args": error.args,
    }


def test_errors_pickle_and_copy_with_their_fields() -> None:
    errors: list[BaseException] = [
        UnknownTreatmentError("naltrexon", ("Naltrexone", "Low Dose Naltrexone")),
        UnknownTreatmentError("zz"),
        UnknownSymptomError("brain fogg", ("Cognitive impairment",)),
        DatasetError("unknown field", file="treatments/x.yaml", entry="x", field="evidence[0].colour"),
        DatasetError("the file is empty", file="treatments/x.yaml"),
        DatasetError("no file at all"),
    ]
    with pytest.raises(UnknownTreatmentError) as caught:
        mecfs_treatments.get("naltrexon")
    errors.append(caught.value)
    for error in errors:
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            assert error_fields(pickle.loads(pickle.dumps(error, protocol))) == error_fields(error)
        assert error_fields(copy.copy(error)) == error_fields(error)
        assert error_fields(copy.deepcopy(error)) == error_fields(error)


# ------------------------------------------------------------- process pools


@pytest.fixture(scope="module")
def spawn_pool() -> Any:
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def test_a_process_pool_resolves_with_a_pickled_catalogue(
    spawn_pool: ProcessPoolExecutor, tmp_path: Path
) -> None:
    # A catalogue of a folder that the workers are never told about: it must travel.
    from .conftest import minimal_documents

    catalog = Catalog.from_path(write_documents(tmp_path / "data", minimal_documents()))
    names = ["Alphazol", "az-1", "ALPHIX", "beta therapy", "beta", "nothing here"] * 20
    assert list(spawn_pool.map(catalog.find, names, chunksize=7)) == [catalog.find(n) for n in names]
    known = [n for n in names if n in catalog]
    assert list(spawn_pool.map(catalog.resolve, known, chunksize=5)) == [catalog.resolve(n) for n in known]
    assert list(spawn_pool.map(mecfs_treatments.resolve, ["LDN", "Pitocin"])) == [
        "low-dose-naltrexone",
        "oxytocin",
    ]


def test_errors_raised_in_a_worker_arrive_with_their_fields(
    spawn_pool: ProcessPoolExecutor, make_dataset: DatasetFactory
) -> None:
    catalog = Catalog.from_path(make_dataset())
    with pytest.raises(UnknownTreatmentError) as remote:
        spawn_pool.submit(catalog.get, "alphazoll").result()
    with pytest.raises(UnknownTreatmentError) as local:
        catalog.get("alphazoll")
    assert error_fields(remote.value) == error_fields(local.value)
    assert remote.value.suggestions == ("Alphazol",)

    with pytest.raises(UnknownSymptomError) as remote_symptom:
        spawn_pool.submit(catalog.symptom, "headach").result()
    assert remote_symptom.value.suggestions == ("Headache",)

    broken = make_dataset(edit=lambda d: d["treatments/alpha.yaml"]["evidence"][0].update(direction="great"))
    with pytest.raises(DatasetError) as remote_dataset:
        spawn_pool.submit(Catalog.from_path, broken).result()
    error = remote_dataset.value
    assert (error.file, error.entry, error.field) == (
        "treatments/alpha.yaml",
        "alpha",
        "evidence[0].direction",
    )
    assert "unknown value 'great'" in error.problem


def test_a_combined_catalogue_crosses_processes_with_its_origins(
    spawn_pool: ProcessPoolExecutor, make_dataset: DatasetFactory, tmp_path: Path
) -> None:
    base = Catalog.from_path(make_dataset())
    overlay = write_documents(
        tmp_path / "overlay",
        {
            "treatments/alpha.yaml": {
                "extends": "alpha",
                "aliases": [{"name": "Clinic Alpha", "kind": "lay-name"}],
            }
        },
    )
    combined = base.extended_with(overlay)
    assert spawn_pool.submit(combined.resolve, "clinic alpha").result() == "alpha"
    assert spawn_pool.submit(combined.origin, "alpha", "aliases", 2).result() == str(overlay)
    returned = spawn_pool.submit(copy.copy, combined).result()
    assert returned.dataset == combined.dataset
    assert returned.additions("alpha") == combined.additions("alpha")


def test_records_from_a_worker_equal_the_local_ones(spawn_pool: ProcessPoolExecutor) -> None:
    ldn = spawn_pool.submit(mecfs_treatments.get, "LDN").result()
    assert ldn == mecfs_treatments.get("LDN")
    assert attrs.has(type(ldn))


def test_one_default_catalogue_per_process_under_a_thread_pool() -> None:
    barrier = threading.Barrier(8)

    def first_use(_: int) -> int:
        barrier.wait()
        return id(Catalog.default())

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert len(set(pool.map(first_use, range(8)))) == 1
