"""The one normalisation used for every name, alias, symptom term and query.

Two texts that differ only in case, Unicode normal form, surrounding or repeated
white space, or hyphens and typographic dashes normalise to the same key:

>>> normalize("  Low-Dose   NALTREXONE ")
'low dose naltrexone'
>>> normalize("Low–dose naltrexone") == normalize("low dose naltrexone")
True

A second, looser key drops every character that is not a letter or a digit, so
that ``"CoQ-10"`` and ``"coq10"`` meet:

>>> compact("Co-Q 10")
'coq10'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["compact", "normalize"]

# Hyphen-like characters: ASCII hyphen-minus, underscore, and every Unicode dash
# (Pd), the minus sign and the soft hyphen.
_DASHES = "".join(
    sorted(
        {"-", "_", "\u2212", "\u00ad", "\u2043", "\ufe63", "\uff0d"}
        | {chr(c) for c in range(0x2010, 0x2016)}
        | {"\u2e3a", "\u2e3b", "\u301c", "\u3030", "\ufe58"}
    )
)
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, " "))
_NOT_ALNUM = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Return the lookup key of ``text``.

    NFKC normal form, case folded, dashes and underscores turned into spaces, runs
    of white space collapsed to one space, and the ends stripped.

    Raises:
        TypeError: if ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    if text.isascii():
        key = text.lower()
    else:
        # casefold can produce text that is no longer NFKC-normal (and the other
        # way round), so normalise on both sides of it.
        key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    key = key.translate(_DASH_TABLE)
    return " ".join(key.split())


def compact(text: str) -> str:
    """Return the loose key of ``text``: :func:`normalize` without any non-alphanumeric."""
    return _NOT_ALNUM.sub("", normalize(text))
