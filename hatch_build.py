"""Wheel build hook: compile the bundled YAML dataset into a JSON snapshot inside the wheel.

The YAML files under ``src/mecfs_treatments/data`` stay the source of truth, and
the wheel keeps them.  At wheel-build time this hook loads and validates them with
the package's own loader (so an invalid dataset fails the build with its
``DatasetError``), writes the validated dataset with
``mecfs_treatments._snapshot.dumps``, checks that it reads back equal, and adds it
to the wheel as ``mecfs_treatments/data/_compiled.json``.  Nothing is written into
the source tree, so the snapshot can never be older than the YAML it was built
from.  Editable installs and the sdist get no snapshot and read the YAML.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SNAPSHOT = "mecfs_treatments/data/_compiled.json"

# Run in a fresh interpreter of the build environment, so that the package is
# imported from this source tree and nothing of it stays in the build backend.
_COMPILE = """
import sys
from pathlib import Path
src, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, src)
import mecfs_treatments
if not Path(mecfs_treatments.__file__).resolve().is_relative_to(Path(src).resolve()):
    sys.exit(f"imported mecfs_treatments from {mecfs_treatments.__file__}, not from {src}")
from mecfs_treatments import _snapshot, load
from mecfs_treatments.errors import DatasetError
try:
    dataset = load.load_bundled_yaml()
except DatasetError as error:
    sys.exit(f"the bundled dataset is invalid: {error}")
text = _snapshot.dumps(dataset, name_tables=mecfs_treatments.Catalog(dataset)._names.tables())
if _snapshot.loads(text) != dataset:
    sys.exit("the snapshot does not read back equal to the dataset")
Path(out).write_text(text, encoding="utf-8")
"""


class SnapshotBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled snapshot of the bundled dataset to regular wheels."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile the snapshot and force-include it in the wheel."""
        if self.target_name != "wheel" or version == "editable":
            return
        self._tmp = tempfile.mkdtemp(prefix="mecfs-treatments-snapshot-")
        out = os.path.join(self._tmp, "_compiled.json")
        src = os.path.join(self.root, "src")
        result = subprocess.run(
            [sys.executable, "-c", _COMPILE, src, out], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                "could not compile the dataset snapshot:\n" + (result.stderr or result.stdout).strip()
            )
        build_data["force_include"][out] = SNAPSHOT

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary snapshot once the wheel is written."""
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
