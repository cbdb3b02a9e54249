"""The server database is made by its Alembic migrations alone, on SQLite and PostgreSQL: the
`migrate` command brings a new database to the head revision (running it again changes
nothing), and the migrated schema is exactly what the requests models describe."""

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text

from sync_server.db import MIGRATIONS_DIR, engine_for
from sync_server.paths import REPO_ROOT
from sync_server.requests.models import HelpRequest, Referral, RequestNote


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_first_revision_is_the_requests_one():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()][-1] == "0001_requests"


def _migrate(data) -> None:
    subprocess.run([sys.executable, "-m", "sync_server", "migrate", "--data", str(data)], cwd=REPO_ROOT,
                   check=True, capture_output=True)


def test_migrate_makes_the_tables_the_models_describe(tmp_path, server_database):
    _migrate(tmp_path)
    _migrate(tmp_path)  # a second run is a no-op
    engine = engine_for(tmp_path)
    ours = MetaData()
    for model in (HelpRequest, RequestNote, Referral):
        model.__table__.to_metadata(ours)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [_head()]
        differences = compare_metadata(MigrationContext.configure(connection), ours)
    # Other modules' tables (staff, migration 0002) and their indexes are theirs to check.
    ours_only = [d for d in differences if not (d[0] == "remove_table" and d[1].name not in ours.tables)
                 and not (d[0] == "remove_index" and d[1].table.name not in ours.tables)]
    assert ours_only == []
    assert {"help_request", "request_note", "request_referral"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    if server_database is None:
        assert (tmp_path / "server.db").stat().st_mode & 0o077 == 0  # only the server's user reads it


def test_serving_machines_starting_together_migrate_once(tmp_path, server_database):
    commands = [subprocess.Popen([sys.executable, "-m", "sync_server", "migrate", "--data", str(tmp_path / str(n))],
                                 cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for n in range(4)]
    outputs = [command.communicate(timeout=120)[0].decode() for command in commands]
    assert [command.returncode for command in commands] == [0, 0, 0, 0], outputs
    if server_database is not None:  # one shared database (SQLite: each its own file)
        assert sum("Running upgrade  -> 0001_requests" in output for output in outputs) == 1
