"""The generated catalogue, as a reader sees it in a real headless browser.

A small Sphinx project that uses only ``mecfs_treatments.sphinxext`` (as another
project would) is built from the installed package's bundled data into a temporary
folder; Chromium opens the pages and the tests read the rendered DOM.  Expected
content comes from the library's own API, never from copies of the data.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

import mecfs_treatments as mt
from mecfs_treatments.model import ADVISED_AGAINST_STANCES
from mecfs_treatments.sphinxext import CHART_MIN_ITEMS, EVIDENCE_COLUMNS

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("furo") is None,
        reason="sphinx and furo are not installed (they are in the 'test' dependency group)",
    ),
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]

CONF = """\
extensions = ["mecfs_treatments.sphinxext"]
html_theme = "furo"
project = "catalogue test"
"""

INDEX = """\
Catalogue test
==============

.. toctree::

   catalogue/index
"""


class _Page(HTMLParser):
    """Visible text, links, headings and tables of a rendered page's main content."""

    _SKIP = frozenset({"script", "style", "noscript", "template"})
    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.h1: list[str] = []
        self.tables: list[dict[str, list[list[str]] | str]] = []
        self.images: list[tuple[str, str]] = []
        self._stack: list[str] = []
        self._skip = 0
        self._article = 0
        self._href: str | None = None
        self._link_text: list[str] = []
        self._in_h1 = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # Skipped: scripts, and the "¶" permalinks that show only on hover.
        if tag in self._SKIP or (tag == "a" and "headerlink" in (values.get("class") or "").split()):
            self._skip += 1
            self._stack.append(tag)
        elif tag not in self._VOID:
            self._stack.append("")
        if tag == "img" and self._article:
            self.images.append((values.get("src") or "", values.get("alt") or ""))
        if tag in self._VOID:
            return
        if tag == "article" or self._article:
            self._article += 1
        if not self._article:
            return
        if tag == "a":
            self._href = values.get("href") or ""
            self._link_text = []
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        elif tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._VOID and self._stack and self._stack.pop():
            self._skip -= 1
        if not self._article or tag in self._VOID:
            return
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._link_text).split())))
            self._href = None
        elif tag == "h1":
            self._in_h1 = False
        elif tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            rows = self.tables[-1]["rows"]
            assert isinstance(rows, list)
            rows.append(self._row)
            self._row = None
        self._article -= 1

    def handle_data(self, data: str) -> None:
        if not self._article or self._skip:
            return
        self.text.append(data)
        for part in (self._link_text if self._href is not None else None, self._cell, self._caption):
            if part is not None:
                part.append(data)
        if self._in_h1:
            self.h1[-1] += data

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    def hrefs(self) -> set[str]:
        return {href.split("#")[0] for href, _ in self.links}


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    """The HTML output of a project holding the bundled catalogue."""
    with tempfile.TemporaryDirectory(prefix="mecfs-docs-") as tmp:
        src = Path(tmp, "src")
        src.mkdir()
        (src / "conf.py").write_text(CONF, encoding="utf-8")
        (src / "index.rst").write_text(INDEX, encoding="utf-8")
        out = Path(tmp, "html")
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", "html", str(src), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        yield out


def render(path: Path, query: str = "") -> _Page:
    """Open ``path`` in headless Chromium and parse the DOM it rendered."""
    assert path.is_file(), path
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="mecfs-chromium-") as profile:
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # Lets a test page read the page it shows in a frame (see frame_report).
                "--allow-file-access-from-files",
                f"--user-data-dir={profile}",
                # Lets the page's scripts (the search) run before the DOM is read.
                "--virtual-time-budget=5000",
                "--dump-dom",
                path.as_uri() + query,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "HOME": profile},
        )
    assert result.returncode == 0, result.stderr
    page = _Page()
    page.feed(result.stdout)
    assert page.visible, f"nothing rendered for {path}"
    return page


def treatment_href(treatment: mt.Treatment, prefix: str = "") -> str:
    return f"{prefix}treatments/{treatment.id}.html"


@pytest.mark.parametrize("name", ["Pitocin", "LDN", "graded exercise therapy"])
def test_treatment_page_shows_name_aliases_and_evidence(site: Path, name: str) -> None:
    treatment = mt.get(name)
    page = render(site / "catalogue" / treatment_href(treatment))

    assert [h.strip() for h in page.h1] == [treatment.name]
    for alias in treatment.shown_aliases:
        assert alias.name in page.visible
    for alias in treatment.aliases:
        if alias.kind is mt.AliasKind.MISSPELLING:  # they resolve, and are never shown
            assert alias.name not in page.visible
    assert mt.NOT_MEDICAL_ADVICE in page.visible

    evidence = [t for t in page.tables if t["caption"] == f"Evidence about {treatment.name}"]
    assert len(evidence) == 1
    rows = evidence[0]["rows"]
    assert isinstance(rows, list)
    header, *body = rows
    assert tuple(header) == EVIDENCE_COLUMNS
    assert len(body) == len(treatment.evidence)
    # Strongest first: ME/CFS before other conditions, then level, then the latest year.
    keys = []
    for row in body:
        item = next(e for e in treatment.evidence if " ".join(e.summary.split()) in row[6])
        assert row[0].startswith(item.kind.label)
        assert row[1] == item.direction.label
        assert row[4] == (str(item.year) if item.year else "—")
        keys.append(
            (item.condition is not mt.Condition.ME_CFS, -mt.EvidenceLevel.of(item.kind), -(item.year or 0))
        )
    assert keys == sorted(keys)

    # At a glance: the summary in words (badges carry text, never colour alone).
    summary = treatment.evidence_summary
    glance = page.visible.split("At a glance:", 1)[1][:400]
    assert summary.level.label in glance
    if summary.level is not mt.EvidenceLevel.NONE:
        assert summary.direction.label in glance
    assert ("harm reported" in glance) is summary.harm
    for position in summary.positions:
        if position.stance in ADVISED_AGAINST_STANCES:
            assert f"{position.body}" in glance
    if len(treatment.evidence) >= CHART_MIN_ITEMS:
        charts = [alt for src, alt in page.images if src.endswith(f"/{treatment.id}.svg")]
        assert len(charts) == 1
        assert charts[0].startswith(f"Chart of the evidence about {treatment.name}")

    symptom_links = {href for href in page.hrefs() if "/symptoms/" in href}
    assert symptom_links == {f"../symptoms/{s.id}.html" for s in treatment.symptoms} | {
        f"../symptoms/{s.id}.html" for e in treatment.evidence for s in e.symptoms
    }
    for source in treatment.cited_sources():
        if source.link:
            assert source.link.split("#")[0] in page.hrefs(), source.id


def test_az_page_links_every_treatment(site: Path) -> None:
    page = render(site / "catalogue" / "index.html")
    assert [h.strip() for h in page.h1] == ["Treatments A–Z"]
    hrefs = page.hrefs()
    for treatment in mt.treatments():
        assert treatment_href(treatment) in hrefs, treatment.id
    # Every letter link leads to a section that the page has.
    letters = [href for href, text in page.links if href.startswith("#") and len(text) <= 3]
    assert letters
    dom = (site / "catalogue" / "index.html").read_text(encoding="utf-8")
    for href in letters:
        assert f'id="{href[1:]}"' in dom


@pytest.mark.parametrize("term", ["pain", "crash", "brain fog", "insomnia"])
def test_symptom_page_lists_its_treatments(site: Path, term: str) -> None:
    symptom = mt.symptom(term)
    page = render(site / "catalogue" / "symptoms" / f"{symptom.id}.html")
    assert [h.strip() for h in page.h1] == [symptom.label]
    listed = {href for href in page.hrefs() if href.startswith("../treatments/")}
    expected = {treatment_href(t, "../") for t in mt.for_symptom(symptom.id)}
    assert expected
    assert expected <= listed
    assert "No treatment in the catalogue targets this symptom" not in page.visible


def test_alias_index_leads_to_the_treatment(site: Path) -> None:
    page = render(site / "catalogue" / "aliases.html")
    oxytocin = mt.get("Pitocin")
    assert "Pitocin (brand) → Oxytocin" in page.visible
    assert treatment_href(oxytocin) in page.hrefs()
    aliases = sum(len(t.shown_aliases) for t in mt.treatments())
    assert sum(1 for href, _ in page.links if href.startswith("treatments/")) == aliases


def test_search_finds_a_treatment_by_its_alias(site: Path) -> None:
    page = render(site / "search.html", "?q=Syntocinon")
    assert treatment_href(mt.get("Syntocinon"), "catalogue/") in page.hrefs()


@pytest.mark.parametrize(
    ("query", "name"), [("Syntocinon", "Oxytocin"), ("LDN", "LDN"), ("Pitocin", "Pitocin")]
)
def test_search_lists_the_treatment_page_first(site: Path, query: str, name: str) -> None:
    page = render(site / "search.html", f"?q={query}")
    results = [href.split("#")[0] for href, _ in page.links if href.endswith(".html") or ".html#" in href]
    assert results, page.visible[:500]
    assert results[0] == treatment_href(mt.get(name), "catalogue/")


FRAME = """<!DOCTYPE html>
<html><body><article id="report"></article>
<iframe id="frame" src="{src}" style="width: {width}px; height: 900px; border: 0"></iframe>
<script>
var frame = document.getElementById("frame");
function say(text) {{
  var p = document.createElement("p"); p.textContent = text;
  document.getElementById("report").appendChild(p);
}}
frame.onload = function () {{
  var doc = frame.contentDocument, root = doc.documentElement;
  {action}
}};
</script></body></html>
"""


def frame_report(site: Path, src: str, action: str, width: int = 1200) -> list[str]:
    """Open ``src`` (relative to the site) in a frame, run ``action`` on it, read what it said."""
    harness = site / f"frame-{abs(hash((src, action, width)))}.html"
    harness.write_text(FRAME.format(src=src, width=width, action=action), encoding="utf-8")
    page = render(harness)
    return [line for line in "\n".join(page.text).split("\n") if line.strip()]


@pytest.mark.parametrize("name", ["graded exercise therapy", "LDN", "Rituximab"])
def test_a_treatment_page_fits_a_phone_without_sideways_scrolling(site: Path, name: str) -> None:
    src = "catalogue/" + treatment_href(mt.get(name))
    said = frame_report(
        site,
        src,
        "say('scroll ' + root.scrollWidth); say('width ' + root.clientWidth);"
        "var cell = doc.querySelector('table.mecfs-evidence td');"
        "say('cell ' + doc.defaultView.getComputedStyle(cell).display);",
        width=390,
    )
    values = dict(line.split(" ", 1) for line in said)
    assert int(values["scroll"]) <= int(values["width"]) <= 390, said
    assert values["cell"] == "block", "evidence rows are stacked as cards on a narrow screen"


def test_the_comparison_page_sorts_by_a_click(site: Path) -> None:
    static = render(site / "catalogue" / "compare.html")
    table = next(t for t in static.tables if str(t["caption"]).startswith("What the evidence says"))
    rows = table["rows"]
    assert isinstance(rows, list)
    names = [row[0] for row in rows[1:]]
    by_name = sorted(mt.treatments(), key=lambda t: t.name.casefold())
    assert len(names) == len(by_name)  # readable without the script: every treatment, by name
    said = frame_report(
        site,
        "catalogue/compare.html",
        "doc.querySelectorAll('table.mecfs-sortable th button')[1].click();"
        "var rows = doc.querySelectorAll('table.mecfs-sortable tbody tr');"
        "for (var i = 0; i < rows.length; i++) say(rows[i].cells[0].textContent.trim());",
    )
    assert len(said) == len(names)
    levels = [mt.get(next(t.id for t in by_name if t.name == n)).evidence_summary.level for n in said]
    assert levels == sorted(levels, reverse=True), "strongest evidence first after one click"
    assert levels[0] is mt.EvidenceLevel.RANDOMISED
    assert said != names


def test_charts_have_text_alternatives(site: Path) -> None:
    index = render(site / "catalogue" / "symptoms" / "index.html")
    maps = [alt for src, alt in index.images if src.endswith("/symptoms.svg")]
    assert len(maps) == 1
    assert maps[0].startswith("Map of symptoms")
    assert mt.symptom("fatigue").label in maps[0]
    assert (site / "_images" / "symptoms.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    compare = render(site / "catalogue" / "compare.html")
    surveyed = [t for t in mt.treatments() if t.evidence_summary.patients is not None]
    maps = [alt for src, alt in compare.images if src.endswith("/treatments-by-symptom.svg")]
    assert len(maps) == 1
    strong = [t for t in mt.treatments() if t.evidence_summary.level >= mt.EvidenceLevel.CONTROLLED]
    assert maps[0].startswith(f"Map of {len(strong)} treatments")
    assert all(f"{t.name}: " in maps[0] for t in strong)
    bars = [alt for src, alt in compare.images if src.endswith("patients.svg")]
    assert len(bars) == (1 if surveyed else 0)
    for treatment in surveyed:
        assert treatment.name in bars[0]


def test_symptom_pages_rank_and_show_harm(site: Path) -> None:
    pem = mt.symptom("post-exertional malaise")
    page = render(site / "catalogue" / "symptoms" / f"{pem.id}.html")
    assert mt.NOT_MEDICAL_ADVICE in page.visible
    listed = [href.split("#")[0] for href, _ in page.links if href.startswith("../treatments/")]
    ranked = [treatment_href(t, "../") for t in mt.for_symptom(pem.id)]
    assert [h for h in listed if h in ranked] == ranked
    get = mt.get("GET")
    assert treatment_href(get, "../") in listed
    line = page.visible.split(get.name, 1)[1][:300]
    assert "harm reported" in line
