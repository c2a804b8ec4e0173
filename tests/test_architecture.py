"""The layout the code promises: layers without cycles, and ruff is clean."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_cycles_lazy_imports_included():
    graph = grimp.build_graph("models", "tui")
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(imported, module):
                chain = graph.find_shortest_chain(imported, module)
                pytest.fail(f"{module} -> {' -> '.join(chain or [])}")


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter is in the extras")
def test_the_layer_contracts_hold():
    result = subprocess.run(["lint-imports"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:]


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is in the test extras")
def test_ruff_is_clean():
    result = subprocess.run(["ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
