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

__all__ = ["compact", "compact_key", "normalize", "variants"]

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


def compact_key(key: str) -> str:
    """:func:`compact` of a key that is already normalised."""
    return _NOT_ALNUM.sub("", key)


_POSSESSIVE = re.compile(r"(?<=\w)(?:'s|\u2019s|'|\u2019)(?=\s|$)")


def variants(key: str) -> list[str]:
    """Other ways of writing the name a normalised key names, tried when the key itself is unknown.

    The resolver's rules, so that no data file has to list every variant:

    - possessives: ``"ldn's"`` → ``"ldn"``, ``"patients'"`` → ``"patients"``;
    - ``&`` and ``+`` between words read as ``and``;
    - word order around one ``and``: ``"zinc and melatonin"`` → ``"melatonin and zinc"``;
    - plural and singular of the last word: ``"beta blockers"`` → ``"beta blocker"``,
      ``"therapies"`` → ``"therapy"``, ``"ssri"`` → ``"ssris"``.

    >>> variants("ssris")
    ['ssri']
    >>> variants("zinc & melatonin")[:2]
    ['zinc and melatonin', 'melatonin and zinc']
    """
    found: list[str] = []

    def add(text: str) -> None:
        text = " ".join(text.split())
        if text and text != key and text not in found:
            found.append(text)

    base = _POSSESSIVE.sub("", key)
    base = " ".join(" and " if word in ("&", "+") else word for word in base.split())
    add(base)
    forms = [base]
    left, sep, right = base.partition(" and ")
    if sep and " and " not in right:
        forms.append(f"{right} and {left}")
        add(forms[-1])
    for form in forms:
        head, _, last = form.rpartition(" ")
        prefix = f"{head} " if head else ""
        if len(last) > 3 and last.endswith("ies"):
            add(prefix + last[:-3] + "y")
        if len(last) > 3 and last.endswith(("ses", "xes", "zes", "ches", "shes")):
            add(prefix + last[:-2])
        if len(last) > 2 and last.endswith("s") and not last.endswith("ss"):
            add(prefix + last[:-1])
        elif len(last) > 1 and last[-1].isalpha():
            add(prefix + last + "s")
    return found
