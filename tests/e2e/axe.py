"""axe-core (Deque's accessibility rules engine, from npm: tests/e2e/package.json, installed by
`make setup`) run inside a Chromium page. Any page test can call `assert_accessible(page)`.

The script is evaluated through the DevTools protocol, not added as a <script> tag, so it runs
on pages whose Content-Security-Policy forbids scripts (the staff pages allow none).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# What fails a test: a screen reader or keyboard user is blocked or badly hindered.
BLOCKING = ("serious", "critical")
_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return {version: axe.version, violations: result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    }))};
}"""


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `make setup` (it runs `npm ci` in tests/e2e)")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """The violations of axe's rules on the page as it is now, of the given impacts."""
    page.evaluate(_axe_source())
    found = page.evaluate(_RUN)
    assert found["version"] == "4.14.1", found["version"]  # the pinned engine, not some other copy
    return [violation for violation in found["violations"] if violation["impact"] in impacts]


def assert_accessible(page, what: str = "") -> None:
    """No serious or critical axe violation on the page; the message lists each with where."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {what or page.url}:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'])}" for v in violations)
