"""The exceptions the library raises, under one base class."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "DatasetError",
    "MecfsTreatmentsError",
    "NoSuchFieldError",
    "NoSuchItemError",
    "SnapshotError",
    "UnknownSchemaError",
    "UnknownSourceError",
    "UnknownSymptomError",
    "UnknownTreatmentError",
]


class MecfsTreatmentsError(Exception):
    """Base class of every error this library raises on purpose."""


_SHOWN = 80
"""How much of a query an error message repeats."""


def _shown(query: str) -> str:
    """The query as a message shows it: quoted, and cut after 80 characters."""
    if len(query) <= _SHOWN:
        return repr(query)
    return repr(query[:_SHOWN]) + f"… ({len(query)} characters)"


def _did_you_mean(suggestions: Sequence[str]) -> str:
    quoted = [repr(s) for s in suggestions]
    if not quoted:
        return ""
    if len(quoted) == 1:
        return f"; did you mean {quoted[0]}?"
    return f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


class _UnknownNameError(MecfsTreatmentsError, KeyError):
    """A name that the catalogue does not know, with ranked suggestions."""

    _what = "name"

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(query)
        self.query: str = query
        """The text that was looked up."""
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        """Canonical names of near matches, best first."""

    def __str__(self) -> str:
        # KeyError's own __str__ would print the repr of the key alone.
        return f"no {self._what} named {_shown(self.query)}{_did_you_mean(self.suggestions)}"

    def __reduce__(self) -> tuple[type[_UnknownNameError], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.query, self.suggestions))


class UnknownTreatmentError(_UnknownNameError):
    """No treatment has this name or alias.

    Also a :class:`KeyError` (and so a :class:`LookupError`).

    >>> import mecfs_treatments
    >>> try:
    ...     mecfs_treatments.get("naltrexon")
    ... except mecfs_treatments.UnknownTreatmentError as error:
    ...     print(error)
    no treatment named 'naltrexon'; did you mean 'Naltrexone' or 'Low Dose Naltrexone'?
    """

    _what = "treatment"


class UnknownSymptomError(_UnknownNameError):
    """No symptom has this id, label or synonym. Also a :class:`KeyError`."""

    _what = "symptom"


class DatasetError(MecfsTreatmentsError, ValueError):
    """The dataset is broken: names the file, the entry and the field at fault.

    The catalogue is never partly loaded: any fault stops the whole load.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        entry: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem: str = problem
        """What is wrong."""
        self.file: str | None = file
        """The file at fault, relative to the dataset folder."""
        self.entry: str | None = entry
        """The id (or position) of the entry at fault."""
        self.field: str | None = field
        """The field at fault, as a path such as ``evidence[1].kind``."""
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.entry is not None:
            where.append(f"entry {self.entry!r}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{': '.join(where)}: {self.problem}" if where else self.problem

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_dataset_error,
            (self.problem, self.file, self.entry, self.field),
        )


def _rebuild_dataset_error(
    problem: str, file: str | None, entry: str | None, field: str | None
) -> DatasetError:
    return DatasetError(problem, file=file, entry=entry, field=field)


class UnknownSourceError(_UnknownNameError):
    """No source has this id. Also a :class:`KeyError`."""

    _what = "source"


class UnknownSchemaError(_UnknownNameError):
    """No JSON Schema has this name. Also a :class:`KeyError`."""

    _what = "schema"


class NoSuchFieldError(MecfsTreatmentsError, ValueError):
    """A query named a field that the record has not (or not as a list). Also a :class:`ValueError`."""


class NoSuchItemError(MecfsTreatmentsError, IndexError):
    """A query named an item position that a list field has not. Also an :class:`IndexError`."""


class SnapshotError(MecfsTreatmentsError, ValueError):
    """The compiled snapshot of the bundled dataset cannot be trusted (edited, cut, unreadable).

    The library meets it itself: it warns once and reads the bundled YAML files instead.
    """
