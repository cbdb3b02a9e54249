"""python-tuf is used through its public API only, and the content domain picks no words."""

import ast
from pathlib import Path

import pytest

from app.storage.paths import REPO_ROOT

SOURCES = sorted(p for folder in ("app", "sync_server") for p in (REPO_ROOT / folder).rglob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def _private(module: str) -> bool:
    return module.startswith("tuf") and any(part.startswith("_") for part in module.split("."))


def test_no_module_imports_a_private_part_of_python_tuf():
    offenders = {str(p.relative_to(REPO_ROOT)): sorted(filter(_private, _imported_modules(p))) for p in SOURCES}
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_check_sees_a_private_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from tuf.ngclient._internal.trusted_metadata_set import TrustedMetadataSet\n")
    assert [m for m in _imported_modules(sample) if _private(m)]


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "app" / "content").glob("*.py")), ids=lambda p: p.name)
def test_the_content_domain_never_imports_the_ui_words(path):
    assert not {m for m in _imported_modules(path) if m == "app.i18n" or m.startswith(("app.i18n.", "flet"))}
