"""Layers point one way, no code is dead and no name is missing: `lint-imports`, `vulture` and
`ruff`, as configured in pyproject.toml, run here so `make test` fails when one finds a problem."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from app.storage.paths import REPO_ROOT

BIN = Path(sys.executable).parent  # the tools come with the dev dependencies, in the same venv


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)


def test_import_contracts_are_kept():
    """[tool.importlinter]: screens never import SQL or HTTP; the content domain and storage never
    import Flet or the UI; the server never imports Flet or the client's screens and words."""
    result = _run(str(BIN / "lint-imports"), "--no-cache", "--no-logo")
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_no_dead_code():
    """[tool.vulture]: every function, class and variable of the shipped code is used, or listed
    with its user in tests/dead_code_allowlist.py."""
    result = _run(str(BIN / "vulture"))
    assert result.returncode == 0, f"unused code (delete it, or list its user in the allowlist):\n{result.stdout}{result.stderr}"


def test_every_name_used_is_defined():
    """[tool.ruff]: a screen that uses a name it never imported fails only when it is drawn, and
    Flet then shows the previous screen with nothing in the log; ruff finds it before that."""
    result = _run(str(BIN / "ruff"), "check", "--no-cache", "--output-format", "concise", "app", "sync_server", "main.py")
    assert result.returncode == 0, result.stdout + result.stderr
