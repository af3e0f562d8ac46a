"""Loading a dataset: a folder's parsed files, read into records, then checked as a whole.

``load_folder`` = :func:`~mecfs_treatments.folder.read_folder` (files, hardened YAML)
→ :func:`read_dataset` (the generic :class:`~mecfs_treatments.read.Reader`, then
:mod:`~mecfs_treatments.checks`).  Any fault raises
:class:`~mecfs_treatments.errors.DatasetError` naming the file, the entry and the
field, and nothing is returned: a catalogue is loaded whole or not at all.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

from .checks import check_broader, check_names, check_references, name_table
from .errors import DatasetError
from .folder import Documents, read_folder
from .model import Dataset, DatasetInfo, Source, Symptom, Treatment
from .read import Reader, entry_of, kind_of

__all__ = ["load_bundled_yaml", "load_folder", "read_dataset", "read_info", "read_list", "read_treatment"]

if TYPE_CHECKING:
    import sys
    from pathlib import Path

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable


def read_info(reader: Reader, document: tuple[str, Any] | None) -> DatasetInfo | None:
    """``dataset.yaml`` as a record, or ``None`` where there is none."""
    if document is None:
        return None
    file, data = document
    return reader.record(DatasetInfo, data, file=file, entry=None)


def read_list(reader: Reader, cls: type[Any], file: str, data: object, what: str) -> list[Any]:
    """A file that holds a list of records (sources, symptoms)."""
    if not isinstance(data, list):
        raise DatasetError(f"expected a list of {what}, got {kind_of(data)}", file=file)
    return [reader.record(cls, item, file=file, entry=entry_of(item, i)) for i, item in enumerate(data)]


def read_treatment(reader: Reader, file: str, data: object) -> Treatment:
    """One treatment file; its id must match the file's name."""
    treatment = reader.record(Treatment, data, file=file, entry=entry_of(data))
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem != treatment.id:
        raise DatasetError(
            f"the id {treatment.id!r} does not match the file name {stem!r}",
            file=file,
            entry=treatment.id,
            field="id",
        )
    return treatment


def read_dataset(documents: Documents) -> Dataset:
    """Read and check the parsed files of a dataset folder."""
    reader = Reader(sources={}, symptoms={})
    info = read_info(reader, documents.dataset)
    sources: dict[str, Source] = {}
    source_files: dict[str, str] = {}
    for file, data in documents.sources:
        for source in read_list(reader, Source, file, data, "sources"):
            if source.id in source_files:
                raise DatasetError(
                    f"source id already used in {source_files[source.id]}",
                    file=file,
                    entry=source.id,
                    field="id",
                )
            sources[source.id] = source
            source_files[source.id] = file
    reader.sources = sources
    symptoms: dict[str, Symptom] = {}
    symptom_file = "symptoms.yaml"
    if documents.symptoms is not None:
        symptom_file, data = documents.symptoms
        for symptom in read_list(reader, Symptom, symptom_file, data, "symptoms"):
            if symptom.id in symptoms:
                raise DatasetError(
                    "symptom id is used twice", file=symptom_file, entry=symptom.id, field="id"
                )
            symptoms[symptom.id] = symptom
    reader.symptoms = symptoms
    treatments: dict[str, tuple[str, Treatment]] = {}
    for file, data in documents.treatments:
        treatment = read_treatment(reader, file, data)
        if treatment.id in treatments:
            raise DatasetError(
                f"treatment id already used in {treatments[treatment.id][0]}",
                file=file,
                entry=treatment.id,
                field="id",
            )
        treatments[treatment.id] = (file, treatment)
    check_references(
        [*treatments.values(), *((symptom_file, s) for s in symptoms.values())],
        {
            "treatment": treatments,
            "symptom": symptoms,
            "treatment name": name_table(t for _, t in treatments.values()),
        },
    )
    check_broader(symptoms, lambda _: symptom_file)
    ordered = sorted(treatments.values(), key=lambda pair: pair[1].id)
    check_names(ordered)
    check_names((symptom_file, s) for s in symptoms.values())
    return Dataset(
        info=info,
        sources=tuple(sources.values()),
        symptoms=tuple(symptoms.values()),
        treatments=tuple(t for _, t in ordered),
    )


def load_folder(folder: Traversable | Path) -> Dataset:
    """Read, parse and validate a dataset folder."""
    # Everything a load builds stays alive until it is done, so the cyclic garbage
    # collector would scan the growing heap again and again for nothing (about a third
    # of the time for 10,000 treatments).  It is paused meanwhile, and resumed after
    # only if it was running before.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return read_dataset(read_folder(folder))
    finally:
        if enabled:
            gc.enable()


def load_bundled_yaml() -> Dataset:
    """The dataset that ships inside the package, read from its YAML files.

    Raises:
        DatasetError: the bundled files are invalid, or have no ``dataset.yaml``.
    """
    from importlib.resources import files

    dataset = load_folder(files(__package__) / "data")
    if dataset.info is None:
        raise DatasetError("the bundled dataset needs its version and date", file="dataset.yaml")
    return dataset
