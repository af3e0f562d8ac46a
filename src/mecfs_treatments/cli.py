"""The ``mecfs-treatments`` command line.

Commands: ``show NAME``, ``list``, ``search QUERY``, ``symptom TERM``, ``symptoms``,
``stats``, ``export``, ``mentions [FILE]``; each prints readable text, or JSON with
``--json``.
``--extend FOLDER`` adds an overlay folder of your own (see
:mod:`mecfs_treatments.combine`); ``schema`` prints or writes the JSON Schemas of the
data files.  An unknown
name exits with status 1 and prints the suggestions on standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO

from ._meta import NOT_MEDICAL_ADVICE, __version__
from .catalog import Catalog
from .errors import MecfsTreatmentsError, UnknownSymptomError, UnknownTreatmentError
from .model import Category, Direction, EvidenceSummary, Source, Treatment
from .view import Entry, EvidenceRow, treatment_view

__all__ = ["main"]

_WIDTH = 88
EXIT_UNKNOWN = 1
EXIT_DATASET = 3


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def _refs(sources: Iterable[Source], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[s.id]}]" for s in sources)


def _entry_line(entry: Entry) -> str:
    if entry.symptom is not None:
        return entry.symptom.label + (f" ({entry.text})" if entry.text else "")
    head = " ".join(p for p in (entry.lead, f"({entry.tag})" if entry.lead and entry.tag else entry.tag) if p)
    return f"{head}: {entry.text}" if head else entry.text


def render_treatment(treatment: Treatment) -> str:
    """A treatment as readable text, with numbered source references."""
    view = treatment_view(treatment)
    numbers = {source.id: i for i, source in enumerate(view.sources, start=1)}
    lines = [f"{treatment.name}  [{treatment.id}]"]
    if treatment.shown_aliases:
        names = ", ".join(f"{a.name} ({a.kind.label})" for a in treatment.shown_aliases)
        lines.append(_wrap(names, first="Also known as: ", indent="  "))
    lines.append(" | ".join(f"{label}: {value}" for label, value in view.facts))
    lines.append(_wrap(treatment.evidence_summary.label, first="At a glance: ", indent="  "))
    lines.append("")
    lines.append(_wrap(f"{treatment.summary} {_refs(treatment.sources, numbers)}", indent=""))
    for section in view.sections:
        if section.key == "evidence":
            items = [_evidence_line(row, numbers) for row in view.evidence]
        else:
            items = [
                _wrap(f"{_entry_line(e)} {_refs(e.sources, numbers)}", first="  - ", indent="    ")
                for e in section.entries
            ]
        if items:
            lines += ["", f"{section.title}:", *items]
    for title, ids in (("Members", treatment.members), ("Related", treatment.related)):
        if ids:
            lines += ["", f"{title}:", _wrap(", ".join(ids), first="  - ", indent="    ")]
    if view.identifiers:
        lines += ["", "Identifiers:", *(f"  - {i.scheme}: {i.value}" for i in view.identifiers)]
    source_lines = []
    for source in view.sources:
        text = source.citation()
        if source.link:
            text += f" {source.link}"
        if not source.verified:
            text += " (details unverified)"
        source_lines.append(_wrap(text, first=f"  [{numbers[source.id]}] ", indent="      "))
    if source_lines:
        lines += ["", "Sources:", *source_lines]
    return "\n".join(lines)


def _evidence_line(row: EvidenceRow, numbers: dict[str, int]) -> str:
    e = row.evidence
    context = [row.condition]
    if e.participants:
        context.append(f"n={e.participants}")
    if row.case_definition:
        context.append(f"{row.case_definition} criteria")
    if row.pem:
        context.append(row.pem)
    if e.year:
        context.append(str(e.year))
    kind = f"{row.kind} (not proof)" if row.anecdotal else row.kind
    head = f"{row.direction.upper()} | {kind} | {', '.join(context)}"
    figures = f" Figures: {e.figures.label} who rated it." if e.figures is not None else ""
    return _wrap(f"{head}: {e.summary}{figures} {_refs(e.sources, numbers)}", first="  - ", indent="    ")


def _count(number: int, noun: str) -> str:
    """``"1 treatment"``, ``"2 treatments"``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _treatment_line(treatment: Treatment, summary: EvidenceSummary | None = None) -> str:
    summary = summary or treatment.evidence_summary
    return f"{treatment.name} [{treatment.id}] - {treatment.category.label}; evidence: {summary.label}"


def _brief(treatment: Treatment, summary: EvidenceSummary | None = None) -> dict[str, Any]:
    return {
        "id": treatment.id,
        "name": treatment.name,
        "category": treatment.category.value,
        "aliases": [a.name for a in treatment.shown_aliases],
        "directions": sorted(d.value for d in treatment.directions),
        "summary": _summary_data(summary or treatment.evidence_summary),
    }


def _summary_data(summary: EvidenceSummary) -> dict[str, Any]:
    return {
        "level": summary.level.label,
        "direction": summary.direction.value,
        "harm": summary.harm,
        "advised_against": summary.advised_against,
        "patients": None
        if summary.patients is None
        else {
            "surveys": summary.patients.surveys,
            "respondents": summary.patients.respondents,
            "improved": round(summary.patients.improved, 4),
            "unchanged": None if summary.patients.unchanged is None else round(summary.patients.unchanged, 4),
            "worse": round(summary.patients.worse, 4),
        },
        "label": summary.label,
    }


def _ascii_only() -> bool:
    """Whether standard output's encoding may lack characters: then JSON uses \\u escapes."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return encoding not in ("utf8", "utf16", "utf32")


def _write_json(data: object, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=_ascii_only())
    out.write("\n")


class _Output:
    def __init__(self, args: argparse.Namespace, out: TextIO) -> None:
        self.json = bool(args.json)
        self.out = out

    def emit(self, data: object, text: Callable[[], str]) -> None:
        if self.json:
            _write_json(data, self.out)
        else:
            self.out.write(text())
            self.out.write(f"\n\n{NOT_MEDICAL_ADVICE}\n")


def _cmd_show(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    from .export import to_data

    treatment = catalog.get(args.name)
    data = to_data(treatment)
    data["sources_cited"] = [to_data(s) for s in treatment.cited_sources()]
    out.emit(data, lambda: render_treatment(treatment))


def _cmd_list(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    items = catalog.treatments()
    if args.category:
        items = tuple(t for t in items if t.category is Category(args.category))

    def text() -> str:
        if not items:
            return f"No treatment in the catalogue has the category {args.category!r}."
        return "\n".join(_treatment_line(t) for t in items)

    out.emit([_brief(t) for t in items], text)


def _cmd_search(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    matches = catalog.search(args.query, limit=args.limit)
    data = [{"score": m.score, "matched": m.name, **_brief(m.treatment)} for m in matches]

    def text() -> str:
        if not matches:
            return f"nothing near {args.query!r}"
        rows = []
        for m in matches:
            via = "" if m.name == m.treatment.name else f" (as {m.name!r})"
            rows.append(f"{m.score:.2f}  {m.treatment.name}{via} [{m.treatment.id}]")
        return "\n".join(rows)

    out.emit(data, text)


def _cmd_symptom(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    from .export import to_data

    symptom = catalog.symptom(args.term)
    found = catalog.for_symptom(symptom.id, narrower=not args.direct)
    summaries = {t.id: catalog.symptom_summary(t, symptom.id, narrower=not args.direct) for t in found}
    data = {"symptom": to_data(symptom), "treatments": [_brief(t, summaries[t.id]) for t in found]}

    def text() -> str:
        lines = [f"{symptom.label} [{symptom.id}] - {symptom.domain.label} domain"]
        if symptom.synonyms:
            lines.append(_wrap(", ".join(symptom.synonyms), first="Also called: ", indent="  "))
        lines.append(
            f"HPO: {symptom.hpo}"
            if symptom.hpo
            else f"HPO: none{' - ' + symptom.hpo_note if symptom.hpo_note else ''}"
        )
        lines.append("")
        lines.append(
            f"{_count(len(found), 'treatment')} target{'s' if len(found) == 1 else ''} it, strongest evidence first:"
            if found
            else "No treatment in the catalogue targets it."
        )
        lines.extend("  " + _treatment_line(t, summaries[t.id]) for t in found)
        return "\n".join(lines)

    out.emit(data, text)


def _cmd_compare(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    rows = catalog.compare(*args.names, symptom=args.symptom)
    data = [_brief(row.treatment, row.summary) for row in rows]

    def text() -> str:
        scope = f" for {catalog.symptom(args.symptom).label}" if args.symptom else ""
        lines = [f"Evidence{scope}, side by side:"]
        width = max(len(row.treatment.name) for row in rows)
        for row in rows:
            lines.append(
                _wrap(row.summary.label, first=f"  {row.treatment.name:<{width}}  ", indent=" " * (width + 4))
            )
        return "\n".join(lines)

    out.emit(data, text)


def _cmd_symptoms(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    from .export import to_data

    items = catalog.symptoms()

    def text() -> str:
        rows = []
        for s in items:
            count = len(catalog.for_symptom(s.id))
            rows.append(
                f"{s.label} [{s.id}] - {s.domain.label}; {_count(count, 'treatment')}; HPO {s.hpo or 'none'}"
            )
        return "\n".join(rows)

    out.emit([to_data(s) for s in items], text)


def _cmd_stats(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    treatments = catalog.treatments()
    categories = Counter(t.category.value for t in treatments)
    directions = Counter(e.direction.value for t in treatments for e in t.evidence)
    kinds = Counter(e.kind.value for t in treatments for e in t.evidence)
    by_symptom = {s.id: len(catalog.for_symptom(s.id)) for s in catalog.symptoms()}
    info = catalog.info
    by_category = dict(sorted(categories.items()))
    by_direction = {d.value: directions[d.value] for d in Direction}
    by_kind = dict(sorted(kinds.items()))
    data: dict[str, Any] = {
        "library_version": __version__,
        "dataset_version": info.version if info else None,
        "dataset_date": info.date.isoformat() if info else None,
        "treatments": len(treatments),
        "aliases": sum(len(t.shown_aliases) for t in treatments),
        "symptoms": len(catalog.symptoms()),
        "sources": len(catalog.sources()),
        "evidence_items": sum(kinds.values()),
        "by_category": by_category,
        "by_direction": by_direction,
        "by_kind": by_kind,
        "by_symptom": by_symptom,
    }

    def text() -> str:
        lines = [
            f"mecfs_treatments {__version__}, dataset {data['dataset_version']} ({data['dataset_date']})",
            f"{data['treatments']} treatments, {data['aliases']} aliases, {data['symptoms']} symptoms, "
            f"{data['sources']} sources, {data['evidence_items']} evidence items",
        ]
        for title, counts in (
            ("By category", by_category),
            ("Evidence by direction", by_direction),
            ("Evidence by kind", by_kind),
            ("Treatments by symptom", by_symptom),
        ):
            lines.append("")
            lines.append(f"{title}:")
            lines.extend(f"  {key:<28} {value}" for key, value in counts.items())
        return "\n".join(lines)

    out.emit(data, text)


def _cmd_export(catalog: Catalog, args: argparse.Namespace, out: _Output) -> None:
    from .export import dataset_to_data

    _write_json(dataset_to_data(catalog.dataset), out.out)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _text(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options that work before or after the command (on a command, they keep the top's value)."""
    unset: Any = argparse.SUPPRESS
    parser.add_argument(
        "--json",
        action="store_true",
        default=False if top else unset,
        help="print JSON instead of text (export and schema always print JSON)",
    )
    parser.add_argument(
        "--data",
        metavar="FOLDER",
        default=None if top else unset,
        help="use this dataset folder, not the bundled one",
    )
    parser.add_argument(
        "--extend",
        metavar="FOLDER",
        action="append",
        default=None if top else unset,
        help="add your own treatments and additions from this overlay folder (repeatable)",
    )
    parser.add_argument(
        "--override",
        action="store_true",
        default=False if top else unset,
        help="let --extend folders replace entries and take over aliases",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mecfs-treatments",
        description="Look up ME/CFS treatments, their evidence and sources. " + NOT_MEDICAL_ADVICE,
    )
    parser.add_argument("--version", action="store_true", help="print the library and dataset versions")
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, top=False)
        return p

    command("show", "show one treatment by name or alias").add_argument(
        "name", type=_text, help="a name, alias, brand or id, in any case"
    )
    p = command("list", "list every treatment")
    p.add_argument("--category", choices=[c.value for c in Category], help="only treatments of this category")
    p = command("search", "find treatments by name, or by what they are and what they are used for")
    p.add_argument("query", type=_text, help="a name or part of one, or words such as 'sleep' or 'antiviral'")
    p.add_argument("--limit", type=_positive, default=10, help="at most this many results (default 10)")
    p = command("symptom", "list the treatments that target a symptom")
    p.add_argument("term", type=_text, help="a symptom's id, label or lay word ('brain fog', 'crash')")
    p.add_argument("--direct", action="store_true", help="leave out narrower symptoms")
    p = command("compare", "compare the evidence summaries of several treatments")
    p.add_argument("names", nargs="+", type=_text, help="names, aliases, brands or ids of treatments")
    p.add_argument("--symptom", type=_text, help="summarise the evidence for this symptom only")
    p = command("mentions", "find the treatments and symptoms named in a text, one per line")
    p.add_argument(
        "file", nargs="?", default="-", help="a text file to read, or - (the default) for standard input"
    )
    command("symptoms", "list the symptom vocabulary")
    command("stats", "count treatments, evidence and sources")
    command("export", "print the whole catalogue as JSON")
    p = sub.add_parser(
        "schema",
        help="print the JSON Schemas of the data files, or write them with --out",
        description="Print the JSON Schemas of the data files (for editors), or write them to a folder.",
    )
    p.add_argument("name", nargs="?", choices=schema_names(), help="one schema (default: all, by name)")
    p.add_argument("--out", metavar="FOLDER", help="write <name>.schema.json files into FOLDER")
    return parser


def schema_names() -> tuple[str, ...]:
    """The names of the schemas the ``schema`` command knows."""
    from .schema import NAMES

    return NAMES


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    from .schema import schemas, write_schemas

    if args.out:
        try:
            paths = write_schemas(args.out)
        except OSError as error:
            raise _OutputError(
                f"cannot write the schemas to {args.out!r}: {error.strerror or error}"
            ) from None
        for path in paths:
            out.write(f"{path}\n")
        return 0
    documents = schemas()
    _write_json(documents[args.name] if args.name else documents, out)
    return 0


_COMMANDS: dict[str, Callable[[Catalog, argparse.Namespace, _Output], None]] = {
    "show": _cmd_show,
    "list": _cmd_list,
    "search": _cmd_search,
    "symptom": _cmd_symptom,
    "compare": _cmd_compare,
    "symptoms": _cmd_symptoms,
    "stats": _cmd_stats,
    "export": _cmd_export,
}


class _OutputError(Exception):
    """The output could not be written (a full disk, a closed pipe, a folder that cannot be made)."""


EXIT_OUTPUT = 4


def _usable(stream: TextIO | None) -> TextIO | None:
    """The stream, set to replace what its encoding cannot show; ``None`` if it is closed."""
    if stream is None or getattr(stream, "closed", False):
        return None
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # a stream that cannot be reconfigured
            reconfigure(errors="replace")
    return stream


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit status.

    0 on success, 1 for an unknown name (suggestions on standard error), 2 for a
    usage error, 3 for invalid data or query, 4 when the output cannot be written.
    """
    err_stream = _usable(sys.stderr if stderr is None else stderr) or io.StringIO()
    out_stream = _usable(sys.stdout if stdout is None else stdout)
    parser = _parser()
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        parser.print_usage(err_stream)
        err_stream.write("mecfs-treatments: name a command; --help lists them\n")
        return 2
    args = parser.parse_args(arguments)
    if out_stream is None:
        err_stream.write("mecfs-treatments: standard output is closed\n")
        return EXIT_OUTPUT
    # Everything is written at once at the end, so that a write fault is met in one
    # place; only `mentions` streams, for a file of any size.
    buffer = io.StringIO()
    try:
        if args.command == "mentions":
            status = _stream_mentions(args, out_stream)
        else:
            status = _run(parser, args, buffer, err_stream)
            _flush(buffer.getvalue(), out_stream)
    except (UnknownTreatmentError, UnknownSymptomError) as error:
        err_stream.write(f"mecfs-treatments: {error}\n")
        return EXIT_UNKNOWN
    except MecfsTreatmentsError as error:
        err_stream.write(f"mecfs-treatments: {error}\n")
        return EXIT_DATASET
    except _OutputError as error:
        err_stream.write(f"mecfs-treatments: {error}\n")
        return EXIT_OUTPUT
    return status


def _catalog(args: argparse.Namespace) -> Catalog:
    """The catalogue the options name: the bundled one or --data, with each --extend folder."""
    catalog = Catalog.from_path(args.data) if args.data is not None else Catalog.default()
    for folder in args.extend or ():
        catalog = catalog.extended_with(folder, override=args.override)
    return catalog


@contextlib.contextmanager
def _writing(out: TextIO) -> Iterator[None]:
    """Writes to ``out`` inside; a write fault becomes an _OutputError."""
    try:
        yield
        out.flush()
    except BrokenPipeError:
        _silence(out)
        raise _OutputError("the output pipe was closed before everything was written") from None
    except OSError as error:
        _silence(out)
        raise _OutputError(f"cannot write the output: {error.strerror or error}") from None


def _stream_mentions(args: argparse.Namespace, out: TextIO) -> int:
    catalog = _catalog(args)
    with _writing(out):
        _mentions(catalog, args, out)
    return 0


def _flush(text: str, out: TextIO) -> None:
    """Write the output; a write fault becomes an _OutputError."""
    with _writing(out):
        out.write(text)


def _silence(out: TextIO) -> None:
    """Point a broken output at the null device, so that the flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # not a real file: nothing to do
        fd = out.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "schema":  # needs no catalogue
        return _cmd_schema(args, out)
    catalog = _catalog(args)
    if args.version:
        info = catalog.info
        dataset = f"{info.version} ({info.date.isoformat()})" if info else "unversioned"
        out.write(f"mecfs_treatments {__version__}, dataset {dataset}\n")
        return 0
    if args.command is None:
        parser.print_usage(err)
        err.write("mecfs-treatments: name a command; --help lists them\n")
        return 2
    _COMMANDS[args.command](catalog, args, _Output(args, out))
    return 0


def _mentions(catalog: Catalog, args: argparse.Namespace, out: TextIO) -> None:
    """Stream the mentions of a file, line by line: constant memory whatever its size.

    Offsets count characters from the start of the file.
    """
    matcher = catalog.matcher()
    if args.file == "-":
        source: Any = sys.stdin
        if source is None:
            raise _OutputError("standard input is closed")
    else:
        try:
            source = open(args.file, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
        except OSError as error:
            raise _OutputError(f"cannot read {args.file!r}: {error.strerror or error}") from None
    offset = 0
    try:
        for line in source:
            for m in matcher.find(line):
                start, end = offset + m.start, offset + m.end
                if args.json:
                    row: dict[str, object] = {
                        "text": m.text,
                        "kind": m.kind.value,
                        "id": m.id,
                        "start": start,
                        "end": end,
                    }
                    if m.ambiguous:
                        row["candidates"] = list(m.candidates)
                    out.write(json.dumps(row, ensure_ascii=_ascii_only()) + "\n")
                else:
                    out.write(f"{m.text}\t{m.kind.value}\t{m.id}\t{start}\t{end}\n")
            offset += len(line)
    finally:
        if source is not sys.stdin:
            source.close()


def main_entry() -> None:
    """Console-script entry point: runs :func:`main` and exits with its status."""
    sys.exit(main())
