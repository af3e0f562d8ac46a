"""Sphinx configuration of the mecfs_treatments documentation.

The build is offline: no intersphinx, and the treatment catalogue is generated from the
installed package's data by ``mecfs_treatments.sphinxext`` into ``catalogue/`` (not kept
in version control) each time the builder starts.
"""

from __future__ import annotations

import enum
import re
import sys
from typing import Any

import attrs
from docutils.nodes import Element, TextElement
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.ext.napoleon import Config as NapoleonConfig
from sphinx.ext.napoleon import GoogleDocstring

import mecfs_treatments

project = "mecfs_treatments"
author = "mecfs_treatments developers"
copyright = "mecfs_treatments developers; code MIT, dataset text CC BY 4.0"
release = mecfs_treatments.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "mecfs_treatments.sphinxext",
]

# The catalogue: the bundled dataset, written to docs/catalogue/ at every build.
mecfs_treatments_data = None
mecfs_treatments_catalogue = "catalogue"

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"
nitpicky = True

rst_prolog = f".. |not_medical_advice| replace:: {mecfs_treatments.NOT_MEDICAL_ADVICE}\n"

myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
myst_substitutions = {"not_medical_advice": mecfs_treatments.NOT_MEDICAL_ADVICE}

# Documented objects are not entries of the table of contents: the API reference has
# hundreds, and the navigation sidebar of every page copied them all (most of the
# build's time); the page still lists them, and the index and search find them.
toc_object_entries = False

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True}

# Without intersphinx (the build has no network), standard-library and third-party
# names in signatures cannot be linked; they are named here so that nitpicky mode
# still catches every broken reference to this project's own objects.
nitpick_ignore = [
    ("py:class", "Traversable"),
    ("py:class", "importlib.resources.abc.Traversable"),
    ("py:class", "os.PathLike"),
    ("py:class", "pathlib.Path"),
    ("py:class", "Path"),
    ("py:class", "datetime.date"),
    ("py:class", "_dt.date"),
    ("py:class", "enum.Enum"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "collections.abc.Callable"),
    ("py:class", "attrs.Attribute"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "collections.abc.Collection"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "typing.TextIO"),
    ("py:class", "TextIO"),
    ("py:class", "sphinx.application.Sphinx"),
    ("py:class", "sphinx.util.docutils.SphinxDirective"),
    ("py:class", "docutils.nodes.Node"),
    ("py:exc", "FileExistsError"),
    ("py:mod", "attrs"),
    ("py:class", "attr.AttrsInstance"),
]
nitpick_ignore_regex = [
    # Private modules and classes are not documented.
    ("py:mod", r"mecfs_treatments\._\w+"),
    ("py:class", r"mecfs_treatments(\.\w+)*\._\w+"),
    # Type variables of the overloaded lookups (``find(name, default: DefaultT)``) and
    # of the record readers (``from_data(cls: type[RecordT], ...)``).
    ("py:class", r"(mecfs_treatments\.)?(catalog\.|export\.|read\.)?(DefaultT|RecordT)"),
]

# Docstring examples run in the namespace of their module's public names.
doctest_global_setup = """
import mecfs_treatments
import mecfs_treatments as mt
from mecfs_treatments import *
from mecfs_treatments.model import *
from mecfs_treatments.names import *
from mecfs_treatments.sphinxext import *
"""

html_theme = "furo"
html_title = f"mecfs_treatments {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_with_keys": True,
}
html_show_sourcelink = True


# Google-style sections ("Raises:", "Returns:") in docstrings of functions, classes and
# modules. Not through sphinx.ext.napoleon itself: it reads the first line of an
# attribute's docstring as "type: text", and this project's attribute docstrings are
# prose ("Practical notes: timing, cost, where to get it.").
_GOOGLE = NapoleonConfig(napoleon_numpy_docstring=False, napoleon_use_rtype=False)


def _google_sections(app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]) -> None:
    if what in {"attribute", "data", "property"}:
        return
    lines[:] = GoogleDocstring(lines, _GOOGLE, app, what, name, obj, options).lines()


def _public_name(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> Element | None:
    """Resolve ``Catalog.info`` written in any submodule as ``mecfs_treatments.Catalog.info``.

    The public names live in the package's flat namespace, and docstrings refer to
    them by their short names wherever they are written.
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or target.split(".")[0] not in mecfs_treatments.__all__:
        return None
    domain = env.get_domain("py")
    full = f"mecfs_treatments.{target}"
    return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], full, node, contnode)


_FIELD_DEFAULT = re.compile(r"attr_dict\['(\w+)'\]\.default")
_PRIVATE_DEFAULT = re.compile(r"= (_[A-Z][A-Z0-9_]*)\b")


def _real_defaults(
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: Any,
    signature: str | None,
    annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show the defaults of attrs classes and private constants as their values.

    With ``autodoc_preserve_defaults`` a default is shown as written in the source;
    for an attrs class that is the generated ``attr_dict['name'].default``, and for a
    function the name of a private constant. Both become the value itself.
    """
    if not signature:
        return None
    if isinstance(obj, type) and attrs.has(obj):
        fields = {f.name: f.default for f in attrs.fields(obj)}

        def field_default(match: re.Match[str]) -> str:
            value = fields[match.group(1)]
            if isinstance(value, enum.Enum):
                return f"{type(value).__name__}.{value.name}"
            return repr(value)

        signature = _FIELD_DEFAULT.sub(field_default, signature)
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    if module is not None:
        signature = _PRIVATE_DEFAULT.sub(lambda m: f"= {getattr(module, m.group(1))!r}", signature)
    return signature, annotation


def setup(app: Sphinx) -> None:
    """Project-local additions to the build."""
    app.connect("autodoc-process-docstring", _google_sections)
    app.connect("autodoc-process-signature", _real_defaults)
    app.connect("missing-reference", _public_name)
