import pytest

from app.content.embedded import ensure_embedded_installed
from app.storage.engines import open_content_engine
from app.storage.paths import content_db
from tests.factories import sign_bundle


@pytest.fixture
def installed_home(tmp_path):
    """A data dir with the factory bundle installed."""
    _, root = sign_bundle(tmp_path / "bundle")
    (tmp_path / "root.json").write_bytes(root)
    home = tmp_path / "home"
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=tmp_path / "bundle", trusted_root_file=tmp_path / "root.json")
    return home


@pytest.fixture
def content_connection(installed_home):
    engine = open_content_engine(content_db(installed_home))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL server for the session (tests/postgres_server.py)."""
    from tests.postgres_server import start_postgres

    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def server_database(request, monkeypatch):
    """The server's database under test: SQLite in the data folder (DATABASE_URL unset), or a
    fresh database on the session's PostgreSQL server. Served processes inherit it."""
    if request.param == "sqlite":
        monkeypatch.delenv("DATABASE_URL", raising=False)
        yield None
        return
    import uuid

    server = request.getfixturevalue("postgres")
    url = server.create_database(f"test_{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("DATABASE_URL", url)
    yield server


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """A reading session over the content the app ships (installed once per test run)."""
    from sqlmodel import Session

    home = tmp_path_factory.mktemp("shipped")
    ensure_embedded_installed(home)
    engine = open_content_engine(content_db(home))
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` (`-n auto --dist loadfile`): each worker takes whole test files, and all the
    browser tests (tests/e2e) are one unit, run one after another on one worker while the other
    workers take the rest. Two Chromiums drawing at once on a busy machine starve the app
    servers: keys typed into a field were lost (seen twice in a run). The browser tests go out
    first (collection order, --no-loadscope-reorder): they are about half of the suite's time."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesWithBrowserTestsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "tests/e2e" if nodeid.startswith("tests/e2e/") else super()._split_scope(nodeid)

    return FilesWithBrowserTestsTogether(config, log)
