"""The first screen does not wait for libraries only an install, a sync or a migration needs."""

import json
import subprocess
import sys

from app.storage import migrate
from app.storage.paths import REPO_ROOT

SLOW_TO_IMPORT = ("tuf", "alembic", "yaml", "cryptography", "securesystemslib", "frontmatter", "httpx")


def _loaded_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    probe = code + f"\nimport json, sys\nprint(json.dumps(sorted(m for m in {SLOW_TO_IMPORT!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_ui_entry_loads_none_of_them():
    assert _loaded_after("import app.ui, app.actions, app.starting") == []


def test_a_second_launch_opens_the_data_without_them(tmp_path):
    import os

    env = {**os.environ, "SAFE_JOURNEY_HOME": str(tmp_path)}
    first = "from app.runtime import Runtime\nfrom app.storage.paths import data_home\nRuntime.open(data_home()).close()"
    assert "tuf" in _loaded_after(first, env)  # the first launch installs: it needs them
    # The user's data is sealed: its cipher (AES-GCM, ~7 ms to import) is the one exception.
    assert _loaded_after(first, env) == ["cryptography"]
    heavy = "\nimport sys\nprint(sorted(m for m in sys.modules if m.startswith(('cryptography.x509', " \
            "'cryptography.hazmat.primitives.asymmetric', 'cryptography.hazmat.primitives.serialization'))))"
    probe = subprocess.run([sys.executable, "-c", first + heavy], cwd=REPO_ROOT, capture_output=True, text=True,
                           env=env, timeout=120)
    assert probe.stdout.strip().splitlines()[-1] == "[]", probe.stderr


def test_the_schema_check_agrees_with_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    for which in (migrate.CONTENT, migrate.USER):
        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR / which))
        assert migrate.head_revision(which) == ScriptDirectory.from_config(config).get_current_head()
