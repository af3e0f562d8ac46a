"""Importing the package is cheap: no data is read and PyYAML is not imported."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_import_reads_no_data_and_no_yaml() -> None:
    out = run(
        "import sys, mecfs_treatments\n"
        "from mecfs_treatments import catalog\n"
        "print('yaml' in sys.modules, catalog._DEFAULT.catalog is None)"
    )
    assert out == "False True"


def test_public_names_are_documented() -> None:
    import inspect

    import mecfs_treatments

    for name in mecfs_treatments.__all__:
        obj = getattr(mecfs_treatments, name)
        if callable(obj) or inspect.isclass(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_version_matches_metadata() -> None:
    from importlib.metadata import PackageNotFoundError, version

    import mecfs_treatments

    try:
        installed = version("mecfs_treatments")
    except PackageNotFoundError:
        pytest.skip("running from a source tree, not an installed package")
    assert installed == mecfs_treatments.__version__
