"""Development sessions: ``nox`` runs tests, lint, typing and docs; ``nox -s bench`` benchmarks,
``nox -s lowest`` tests the lowest allowed dependencies, ``nox -s fuzz`` fuzzes the loader at length."""

from __future__ import annotations

import os

import nox

nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lint", "typing", "docs"]
# The machines that run this have one Python; the others are tried where present
# and skipped, not failed, where absent (also under CI=true).
nox.options.error_on_missing_interpreters = False

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Install the package (not editable, so a file missing from the wheel fails) and run pytest."""
    session.install(".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def lowest(session: nox.Session) -> None:
    """The tests against the lowest versions of the runtime dependencies that pyproject.toml allows."""
    floors = [requirement.replace(">=", "==") for requirement in PYPROJECT["project"]["dependencies"]]
    session.install(*floors)
    session.install("--no-deps", ".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "test"))
    session.run(
        "python", "-c", "import attrs, yaml; print('attrs', attrs.__version__, 'pyyaml', yaml.__version__)"
    )
    session.run("pytest", "--ignore=tests/test_docs_browser.py", *session.posargs)


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """The seeded mutation fuzzer with a long budget (MECFS_FUZZ_CASES, default here 20,000)."""
    session.install(".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "test"))
    cases = session.env.get("MECFS_FUZZ_CASES") or os.environ.get("MECFS_FUZZ_CASES", "20000")
    session.run("pytest", "tests/test_fuzz.py", "-q", *session.posargs, env={"MECFS_FUZZ_CASES": cases})


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff: lint and formatting of the code."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py", "docs")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over the package and the tests."""
    session.install(".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy", "--strict", "src", "tests")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML docs with warnings as errors and nitpicky references, then run their doctests."""
    session.install(".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "docs"))
    build = os.path.join("docs", "_build")
    common = ["-n", "-T", "-W", "--keep-going", "-d", os.path.join(build, "doctrees")]
    session.run("sphinx-build", *common, "-b", "html", "docs", os.path.join(build, "html"))
    session.run("sphinx-build", *common, "-b", "doctest", "docs", os.path.join(build, "doctest"))


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks beside the anchor libraries; exits non-zero naming any target missed."""
    session.install(".")
    session.install(*nox.project.dependency_groups(PYPROJECT, "bench"))
    session.run("python", "benchmarks/run.py", *session.posargs)
