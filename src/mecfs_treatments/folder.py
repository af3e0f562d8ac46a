"""Reading a dataset folder from disk: which files there are, and their parsed content.

A dataset folder holds::

    dataset.yaml          version, date, title, licence
    symptoms.yaml         a list of symptoms
    sources/*.yaml        lists of sources
    treatments/*.yaml     one treatment per file, named after its id

Every file-system fault (a missing, unreadable or unenterable folder, a name too
long, a link out of the folder, a pipe or a device, an oversized, empty or
non-UTF-8 file) is a :class:`~mecfs_treatments.errors.DatasetError` naming the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._yaml import MAX_FILE_BYTES, parse_yaml
from .errors import DatasetError

if TYPE_CHECKING:
    import sys
    from pathlib import Path

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

_T = TypeVar("_T")

__all__ = ["Documents", "check_folder", "read_folder"]


@attrs.frozen(slots=True)
class Documents:
    """The parsed files of one dataset folder, each with its path relative to the folder."""

    dataset: tuple[str, Any] | None = None
    """``dataset.yaml``: (file, data), or ``None`` where the folder has none."""
    symptoms: tuple[str, Any] | None = None
    """``symptoms.yaml``: (file, data), or ``None``."""
    sources: tuple[tuple[str, Any], ...] = ()
    """Every ``sources/*.yaml``: (file, data), sorted by file name."""
    treatments: tuple[tuple[str, Any], ...] = ()
    """Every ``treatments/*.yaml``: (file, data), sorted by file name."""

    def is_empty(self) -> bool:
        """True where the folder holds none of the four kinds of file."""
        return not (self.dataset or self.symptoms or self.sources or self.treatments)


def _guard(action: Callable[[], _T], file: str) -> _T:
    """Run a file-system call; any OSError becomes a DatasetError naming ``file``."""
    try:
        return action()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DatasetError(f"cannot read it: {reason}", file=file) from None


def _read_text(item: Traversable | Path, file: str, root: Path | None) -> str:
    from pathlib import Path

    if root is not None and isinstance(item, Path):
        if _guard(lambda: item.is_symlink() or not item.is_file(), file):
            # realpath, unlike resolve, does not raise on a loop of links.
            target = Path(_guard(lambda: os.path.realpath(item), file))
            if not target.is_relative_to(root):
                raise DatasetError("the file is a link that points outside the dataset folder", file=file)
        if not _guard(item.is_file, file):
            # A pipe or a device would block or never end; a folder cannot be read.
            raise DatasetError("not a regular file (a folder, pipe, device or broken link)", file=file)
        size = _guard(lambda: item.stat().st_size, file)
        if size > MAX_FILE_BYTES:
            raise DatasetError(f"the file is {size} bytes, over the limit of {MAX_FILE_BYTES}", file=file)

    def read() -> bytes:
        with item.open("rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1)

    raw = _guard(read, file)
    if len(raw) > MAX_FILE_BYTES:
        raise DatasetError(f"the file is over the limit of {MAX_FILE_BYTES} bytes", file=file)
    if not raw.strip():
        raise DatasetError("the file is empty", file=file)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DatasetError(
            f"the file is not valid UTF-8 (line {line}, byte {error.start})", file=file
        ) from None


def _yaml_files(
    folder: Traversable | Path, rel: str, root: Path | None
) -> list[tuple[str, Traversable | Path]]:
    from pathlib import Path

    if not _guard(folder.is_dir, rel):
        if isinstance(folder, Path) and _guard(lambda: os.path.lexists(folder), rel):
            raise DatasetError("expected a folder here", file=rel)
        return []
    if (
        root is not None
        and isinstance(folder, Path)
        and not Path(_guard(lambda: os.path.realpath(folder), rel)).is_relative_to(root)
    ):
        raise DatasetError("the folder is a link that points outside the dataset folder", file=rel)
    items = [
        (f"{rel}/{item.name}", item)
        for item in _guard(lambda: list(folder.iterdir()), rel)
        if item.name.endswith((".yaml", ".yml")) and not item.name.startswith(".")
    ]
    return sorted(items, key=lambda pair: pair[0])


def check_folder(path: str | os.PathLike[str]) -> Path:
    """The folder at ``path``, refused with a DatasetError if it is not one.

    An empty path is refused rather than taken as the current folder.
    """
    from pathlib import Path

    text = os.fspath(path)
    if not isinstance(text, str) or not text.strip():
        raise DatasetError("no folder given: the path is empty")
    folder = Path(text)
    if not _guard(lambda: os.path.lexists(folder), text):
        raise DatasetError("the folder does not exist", file=text)
    if not _guard(folder.is_dir, text):
        raise DatasetError("not a folder", file=text)

    def enter() -> None:  # can it be entered and listed?
        with os.scandir(folder) as entries:
            next(entries, None)

    _guard(enter, text)
    return folder


def read_folder(folder: Traversable | Path, *, require_treatments: bool = True) -> Documents:
    """Read and parse every file of a dataset folder.

    With ``require_treatments=False`` (an overlay folder) ``treatments/`` may be absent.
    """
    from pathlib import Path

    root: Path | None = None
    if isinstance(folder, Path):
        folder = check_folder(folder)
        root = _guard(folder.resolve, os.fspath(folder))

    def read(rel: str, item: Traversable | Path) -> tuple[str, Any]:
        return rel, parse_yaml(_read_text(item, rel, root), rel)

    def present(rel: str, item: Traversable | Path) -> bool:
        # A dangling link or a pipe named symptoms.yaml is an error, not an absence.
        if _guard(item.is_file, rel):
            return True
        return isinstance(item, Path) and _guard(lambda: os.path.lexists(item), rel)

    meta, symptoms = folder / "dataset.yaml", folder / "symptoms.yaml"
    documents = Documents(
        dataset=read("dataset.yaml", meta) if present("dataset.yaml", meta) else None,
        symptoms=read("symptoms.yaml", symptoms) if present("symptoms.yaml", symptoms) else None,
        sources=tuple(read(rel, item) for rel, item in _yaml_files(folder / "sources", "sources", root)),
        treatments=tuple(
            read(rel, item) for rel, item in _yaml_files(folder / "treatments", "treatments", root)
        ),
    )
    if require_treatments and not documents.treatments:
        raise DatasetError("the folder has no treatments/*.yaml files", file="treatments")
    return documents
