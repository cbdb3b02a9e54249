"""One owner for the installed content: one engine, swapped under a lock, every session told."""

import threading

import pytest
from sqlalchemy import event

from app.content import queries
from app.content.embedded import ensure_embedded_installed
from app.runtime import Runtime
from app.state import AppState
from app.storage.content_store import ContentStore
from app.storage.paths import content_db
from app.ui import Loaders
from tests.factories import sign_bundle, valid_items


def _version(store: ContentStore) -> int:
    with store.session() as session:
        return queries.installed(session).version


def test_every_subscriber_hears_of_an_install_and_new_sessions_read_it(tmp_path):
    bundle, root_file, home = tmp_path / "bundle", tmp_path / "root.json", tmp_path / "home"
    keys, root = sign_bundle(bundle)
    root_file.write_bytes(root)
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=bundle, trusted_root_file=root_file)
    store = ContentStore(content_db(home))
    heard: list[str] = []
    store.subscribe(lambda: heard.append("first tab"))
    stop_second = store.subscribe(lambda: heard.append("second tab"))
    with store.session() as reading:  # a screen in the middle of its loader
        assert queries.installed(reading).version == 1
        sign_bundle(bundle, valid_items(), keys=keys)
        assert ensure_embedded_installed(home, bundle_dir=bundle, trusted_root_file=root_file).version == 2
        store.reload()
        # The loader finishes on the version it started with, never on half of each.
        assert queries.installed(reading).version == 1
    assert _version(store) == 2
    assert heard == ["first tab", "second tab"]
    stop_second()
    store.reload()
    assert heard == ["first tab", "second tab", "first tab"]
    store.close()


def test_readers_during_a_swap_never_fail(tmp_path):
    bundle, root_file, home = tmp_path / "bundle", tmp_path / "root.json", tmp_path / "home"
    _, root = sign_bundle(bundle)
    root_file.write_bytes(root)
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=bundle, trusted_root_file=root_file)
    store = ContentStore(content_db(home))
    errors: list[BaseException] = []
    stop = threading.Event()

    def read_all_the_time() -> None:
        while not stop.is_set():
            try:
                with store.session() as session:
                    assert queries.list_topics(session, lang="en")
            except BaseException as error:  # noqa: BLE001  collected for the assertion
                errors.append(error)
                return

    readers = [threading.Thread(target=read_all_the_time) for _ in range(3)]
    for reader in readers:
        reader.start()
    for _ in range(30):
        store.reload()
    stop.set()
    for reader in readers:
        reader.join()
    assert errors == []
    store.close()


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    rt = Runtime.open(tmp_path_factory.mktemp("home"))
    yield rt
    rt.close()


@pytest.mark.parametrize("loader", ["home", "contacts", "settings", "first_aid", "article"])
def test_a_screen_reads_in_one_session(runtime, loader):
    state = AppState()
    state.set_country("MY")
    checkouts: list[int] = []
    engine = runtime.content._current()
    listener = lambda *_: checkouts.append(1)  # noqa: E731
    event.listen(engine, "checkout", listener)
    try:
        data = getattr(Loaders(runtime=runtime, state=state), loader)({"article_id": "passport-taken"})
    finally:
        event.remove(engine, "checkout", listener)
    assert data is not None
    assert len(checkouts) == 1


def test_the_contacts_screen_reads_every_country_in_a_few_queries(runtime):
    state = AppState()
    statements: list[str] = []
    engine = runtime.content._current()
    listener = lambda _conn, _cursor, statement, *_: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        data = Loaders(runtime=runtime, state=state).contacts({})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(data.countries) > 20
    assert len(statements) <= 3, f"{len(statements)} queries for {len(data.countries)} countries"
    with runtime.reading() as content:  # the same cards, country by country
        assert data.contacts == {c.code: content.contacts(c.code, "en") for c in data.countries}
