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

__all__ = ["IGNORABLE", "compact", "compact_key", "normalize", "plural_forms", "strip_possessive", "variants"]

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
        # The only ASCII dashes are "-" and "_"; replace() is quicker than translate().
        return " ".join(text.lower().replace("-", " ").replace("_", " ").split())
    # casefold can produce text that is no longer NFKC-normal (and the other
    # way round), so normalise on both sides of it.
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(key.translate(_DASH_TABLE).split())


def compact(text: str) -> str:
    """Return the loose key of ``text``: :func:`normalize` without any non-alphanumeric."""
    return _NOT_ALNUM.sub("", normalize(text))


_ASCII_DROP = str.maketrans(dict.fromkeys(c for c in map(chr, range(128)) if not c.isalnum()))


def compact_key(key: str) -> str:
    """:func:`compact` of a key that is already normalised."""
    if key.isascii():
        return key.translate(_ASCII_DROP)
    return _NOT_ALNUM.sub("", key)


_GENERIC = frozenset(
    [
        "therapy",
        "therapies",
        "treatment",
        "treatments",
        "medication",
        "medications",
        "medicine",
        "medicines",
        "drug",
        "drugs",
        "protocol",
        "protocols",
        "programme",
        "programmes",
        "program",
        "programs",
        "supplement",
        "supplements",
        "supplementation",
        "intake",
        "consumption",
    ]
)
_ACTIONS = frozenset(["increase", "increased", "increasing", "more", "extra", "taking"])

_POSSESSIVE_PATTERN = r"(?<=[\w)\]])(?:'s|\u2019s|'|\u2019)(?=\s|$)"

IGNORABLE = _GENERIC | _ACTIONS | {"and", "of", "&", "+"}
"""Words the resolver's rules may drop or read as "and"."""


def strip_possessive(word: str) -> str:
    """A text without possessive endings: ``"ldn's"`` → ``"ldn"``."""
    if "'" not in word and "\u2019" not in word:
        return word
    # Compiled on first need (re caches it): a plain lookup never needs it.
    return re.sub(_POSSESSIVE_PATTERN, "", word)


def plural_forms(word: str) -> list[str]:
    """The singular or plural of one word (both, where its ending allows either)."""
    forms = []
    if len(word) > 3 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith(("ses", "xes", "zes", "ches", "shes")):
        forms.append(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    elif len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    elif word.endswith(("x", "z", "ch", "sh")):
        forms.append(word + "es")
    elif len(word) > 1 and word[-1].isalpha():
        forms.append(word + "s")
    return forms


def variants(key: str) -> list[str]:
    """Other ways of writing the name a normalised key names, tried when the key itself is unknown.

    The resolver's rules, so that no data file has to list every variant:

    - possessives: ``"ldn's"`` → ``"ldn"``, ``"patients'"`` → ``"patients"``;
    - ``&`` and ``+`` between words read as ``and``;
    - a first word that says what is done with it (increase, increasing, more, extra,
      taking) and a last word that only says what kind of thing it is (therapy,
      treatment, medication, drugs, protocol, programme, supplement, intake,
      consumption): ``"increasing salt intake"`` → ``"salt"``,
      ``"antiviral therapy"`` → ``"antiviral"`` (and so ``"antivirals"``);
    - word order around one ``and`` or ``of``: ``"zinc and melatonin"`` →
      ``"melatonin and zinc"``, ``"pacing of activities"`` → ``"activities pacing"``;
    - plural and singular of any one word: ``"beta blockers"`` → ``"beta blocker"``,
      ``"therapies"`` → ``"therapy"``, ``"ssri"`` → ``"ssris"``,
      ``"fluid and salt"`` → ``"fluids and salt"``.

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

    base = strip_possessive(key)
    words = [" and " if word in ("&", "+") else word for word in base.split()]
    # First the name as written in other forms, then without the words that say what is
    # done with it or what kind of thing it is: "immunoglobulin g therapies" is first
    # "immunoglobulin g therapy", and only then "immunoglobulin g".
    stages = [[" ".join(words)] + ([key] if base != key else [])]
    while len(words) > 1 and words[0] in _ACTIONS:
        words = words[1:]
        stages.append([" ".join(words)])
    while len(words) > 1 and words[-1] in _GENERIC:
        words = words[:-1]
        stages.append([" ".join(words)])
    for forms in stages:
        for form in list(forms):
            for joint in (" and ", " of "):
                left, sep, right = form.partition(joint)
                if sep and joint not in right:
                    forms.append(f"{right} and {left}" if joint == " and " else f"{right} {left}")
        for form in forms:
            add(form)
        for form in list(forms):
            parts = form.split(" ")
            for i, word in enumerate(parts):
                for other in plural_forms(word):
                    add(" ".join([*parts[:i], other, *parts[i + 1 :]]))
    return found
