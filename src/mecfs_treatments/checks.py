"""Checks that span records: references between entries, and names that must be unique.

The reader checks each record on its own; these checks see a whole dataset (or a
dataset and an overlay).  Which fields refer to other entries is read from the
model's rules (``refers_to``), not written here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

import attrs

from .errors import DatasetError
from .model import Symptom, Treatment, broader_chain, rule_of
from .names import compact, normalize
from .read import did_you_mean

__all__ = [
    "check_broader",
    "check_names",
    "check_references",
    "claim_names",
    "entry_names",
    "name_keys",
    "name_table",
]


def check_references(
    entries: Iterable[tuple[str, Treatment | Symptom]], tables: Mapping[str, Collection[str]]
) -> None:
    """Every id a record refers to (``related``, ``broader``) names an entry that exists.

    ``entries`` are (file, record) pairs to check; ``tables`` holds the ids of every
    ``"treatment"`` and ``"symptom"``.

    Raises:
        DatasetError: naming the file, the entry and the field.
    """
    for file, record in entries:
        kind = "treatment" if isinstance(record, Treatment) else "symptom"
        for field in attrs.fields(type(record)):
            refers_to = rule_of(field).refers_to
            if refers_to is None:
                continue
            value = getattr(record, field.name)
            values = value if isinstance(value, tuple) else () if value is None else (value,)
            for i, other in enumerate(values):
                where = f"{field.name}[{i}]" if isinstance(value, tuple) else field.name
                if refers_to.endswith(" name"):
                    # A name, compared as names are: its owner must be another entry.
                    names: Mapping[str, str] = tables[refers_to]  # type: ignore[assignment]
                    owner = names.get(normalize(other))
                    if owner == record.id:
                        raise DatasetError(
                            f"{other!r} is a name of this {kind} itself",
                            file=file,
                            entry=record.id,
                            field=where,
                        )
                    if owner is None:
                        raise DatasetError(
                            f"no {refers_to} {other!r}", file=file, entry=record.id, field=where
                        )
                    continue
                if refers_to == kind and other == record.id:
                    raise DatasetError(
                        f"a {kind} cannot refer to itself", file=file, entry=record.id, field=where
                    )
                if other not in tables[refers_to]:
                    raise DatasetError(
                        f"unknown {refers_to} {other!r}{did_you_mean(other, tables[refers_to])}",
                        file=file,
                        entry=record.id,
                        field=where,
                    )


def check_broader(symptoms: Mapping[str, Symptom], file_of: Callable[[str], str]) -> None:
    """The ``broader`` links of the symptoms form no cycle.

    Raises:
        DatasetError: naming the file and a symptom on the cycle.
    """
    for symptom in symptoms.values():
        if symptom.broader is not None and symptom.broader in symptoms:
            try:
                broader_chain(symptom.id, lambda step: symptoms[step].broader if step in symptoms else None)
            except ValueError:
                raise DatasetError(
                    "the broader symptoms form a cycle",
                    file=file_of(symptom.id),
                    entry=symptom.id,
                    field="broader",
                ) from None


def name_keys(name: str) -> Iterator[str]:
    """The keys under which a name must be unique: its normalised and its loose form."""
    yield normalize(name)
    loose = compact(name)
    if loose:
        yield "\0" + loose


def entry_names(entry: Treatment | Symptom) -> Iterator[tuple[str, str, bool]]:
    """(name, field, may an overlay move it) for an entry's id, main name and other names."""
    yield entry.id, "id", False
    if isinstance(entry, Treatment):
        yield entry.name, "name", False
        for i, alias in enumerate(entry.aliases):
            yield alias.name, f"aliases[{i}].name", True
    else:
        yield entry.label, "label", False
        for i, synonym in enumerate(entry.synonyms):
            yield synonym, f"synonyms[{i}]", True


def check_names(entries: Iterable[tuple[str, Treatment | Symptom]]) -> None:
    """Every id, name and alias (or label and synonym) of one kind names one entry only.

    ``entries`` are (file, entry) pairs, all treatments or all symptoms.

    Raises:
        DatasetError: a name with no letter or digit, or one another entry holds.
    """
    owners: dict[str, tuple[str, str]] = {}
    for file, entry in entries:
        kind = "treatment" if isinstance(entry, Treatment) else "symptom"
        claim_names(owners, kind, entry.id, ((name, field) for name, field, _ in entry_names(entry)), file)


def claim_names(
    owners: dict[str, tuple[str, str]],
    kind: str,
    entry_id: str,
    names: Iterable[tuple[str, str]],
    file: str,
) -> None:
    """Record an entry's names in ``owners`` (key -> (entry id, name)); a taken key is an error."""
    for name, field in names:
        if not compact(name):
            raise DatasetError("the name has no letters or digits", file=file, entry=entry_id, field=field)
        for key in name_keys(name):
            owner = owners.get(key)
            if owner is not None and owner[0] != entry_id:
                raise DatasetError(
                    f"{name!r} is already a name of {kind} {owner[0]!r} ({owner[1]!r})",
                    file=file,
                    entry=entry_id,
                    field=field,
                )
            owners[key] = (entry_id, name)


def name_table(treatments: Iterable[Treatment]) -> dict[str, str]:
    """Every treatment's id and names, normalised, to its id: for ``"treatment name"`` references."""
    return {normalize(name): t.id for t in treatments for name in (t.id, *t.lookup_names)}
