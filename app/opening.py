"""Open the phone's data whatever state its storage is in.

The emergency numbers must show even when storage fails, so every problem has a way
round it, and each is reported as a StorageNotice for the UI to put into words:
- content.db with a garbled header or cut short: rebuilt from the embedded bundle;
- user.db sealed but its keys missing or damaged: never "corrupt", never moved aside or
  overwritten; the person is told, and user data is kept in memory until they start fresh;
- user.db damaged: moved aside (kept for recovery), what could be read is copied into a
  fresh one, and the notice names what could not (settings, bookmarks, important numbers);
- the data folder read-only or full: content read from where it is (read-only), or
  installed from the embedded bundle into a temporary folder; user data in memory;
- too little room to install the content at first launch: the same, saying how much
  room is needed.
On a healthy second launch this costs a few small reads: no TUF, no Alembic.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app.storage import sealed_format, sqlite_files
from app.storage.content_store import ContentStore
from app.storage.keys import FileKeyStore, KeyFileDamaged, StoredKeys, create_keys, load_keys
from app.storage.paths import EMBEDDED_BUNDLE_DIR, content_db, user_db, user_key_file
from app.storage.sealing import PREFIX as SEALED_PREFIX
from app.storage.problems import StorageNotice, StorageProblem
from app.storage.user_data import BOOKMARK_CONTEXT
from app.storage.user_store import UserStore

log = logging.getLogger(__name__)

IMPORTANT_NUMBERS_KEY = "important_numbers"
# A content database takes about three times the size of the bundle it is built from,
# and is built beside the old one; the margin covers SQLite's journal.
INSTALL_SIZE_FACTOR = 3
INSTALL_MARGIN_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class OpenedContent:
    store: ContentStore
    home: Path  # where content.db is: the data folder, or a temporary one
    temporary: tempfile.TemporaryDirectory | None = None  # removed when the app closes


@dataclass(frozen=True)
class OpenedData:
    content: OpenedContent
    user: UserStore
    notices: list[StorageNotice] = field(default_factory=list)


def bytes_needed_to_install(bundle_dir: Path = EMBEDDED_BUNDLE_DIR) -> int:
    size = sum(f.stat().st_size for f in (bundle_dir / "targets" / "packs").glob("*.json"))
    return size * INSTALL_SIZE_FACTOR + INSTALL_MARGIN_BYTES


def megabytes(size: int) -> int:
    return max(1, -(-size // 1_000_000))


def _embedded_claims(bundle_dir: Path = EMBEDDED_BUNDLE_DIR) -> int | None:
    """The version the embedded bundle says it is: only to skip work, never to trust."""
    try:
        return json.loads((bundle_dir / "metadata" / "timestamp.json").read_bytes())["signed"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _install_embedded(home: Path) -> None:
    # Loads TUF and cryptography: only when there is something to install.
    from app.content.embedded import ensure_embedded_installed

    ensure_embedded_installed(home)


def _needs_install(home: Path) -> bool:
    installed = sqlite_files.installed_content_version(content_db(home))
    claimed = _embedded_claims()
    return installed is None or claimed is None or claimed > installed


def _content_in_temporary_folder() -> OpenedContent:
    temporary = tempfile.TemporaryDirectory(prefix="safe-journey-content-")
    folder = Path(temporary.name)
    _install_embedded(folder)
    return OpenedContent(ContentStore(content_db(folder)), folder, temporary)


def _open_content_writable(home: Path, notices: list[StorageNotice]) -> OpenedContent | None:
    """Content in the data folder; None when there is no room to install it there."""
    path = content_db(home)
    if path.exists() and not sqlite_files.looks_intact(path):
        log.warning("content database damaged (header or length); rebuilding it from the embedded bundle")
        sqlite_files.remove_with_side_files(path)  # public content, nothing to keep
        notices.append(StorageNotice(StorageProblem.content_rebuilt))
    if _needs_install(home):
        needed = bytes_needed_to_install()
        if not path.exists() and sqlite_files.free_bytes(home) < needed:
            log.warning("not enough free space to install the content (%d bytes needed)", needed)
            notices.append(StorageNotice(StorageProblem.phone_full, megabytes=megabytes(needed)))
            return None
        try:
            _install_embedded(home)
        except Exception:
            if sqlite_files.free_bytes(home) < needed:
                log.warning("content install ran out of space", exc_info=True)
                notices.append(StorageNotice(StorageProblem.phone_full, megabytes=megabytes(needed)))
                return None
            if not path.exists():
                raise
            # A readable header over unreadable pages: start again from nothing, once.
            log.warning("installed content unreadable; rebuilding it from the embedded bundle", exc_info=True)
            sqlite_files.remove_with_side_files(path)
            notices.append(StorageNotice(StorageProblem.content_rebuilt))
            _install_embedded(home)
    try:
        store = ContentStore(path)
    except Exception:
        # Readable header, unreadable inside: one rebuild from the embedded bundle.
        log.warning("content database could not be opened; rebuilding it", exc_info=True)
        sqlite_files.remove_with_side_files(path)
        notices.append(StorageNotice(StorageProblem.content_rebuilt))
        _install_embedded(home)
        store = ContentStore(path)
    return OpenedContent(store, home)


def _open_content_read_only(home: Path) -> OpenedContent:
    path = content_db(home)
    if path.exists() and sqlite_files.looks_intact(path):
        try:
            return OpenedContent(ContentStore(path, read_only=True), home)
        except Exception:
            log.warning("installed content unreadable where nothing can be written; using the embedded bundle",
                        exc_info=True)
    return _content_in_temporary_folder()


def _salvage_user_db(path: Path, keys: StoredKeys, key_store: FileKeyStore,
                     notices: list[StorageNotice]) -> UserStore:
    """Move a damaged user.db aside, start a fresh one with whatever could be read from it."""
    settings = sqlite_files.read_table(path, "setting", "key, value")
    bookmarks = sqlite_files.read_table(path, "bookmark", "article_id, created_at")
    kept = sqlite_files.move_aside(path)
    log.warning("user database damaged; moved aside to %s", kept.name)
    if settings is None:
        notices.append(StorageNotice(StorageProblem.settings_lost))
        notices.append(StorageNotice(StorageProblem.important_numbers_lost))
    if bookmarks is None:
        notices.append(StorageNotice(StorageProblem.bookmarks_lost))
    store = UserStore.on_disk(path, keys, key_store)
    with sqlite3.connect(path) as connection:
        connection.executemany("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", settings or [])
        connection.executemany("INSERT OR REPLACE INTO bookmark (article_id, created_at) VALUES (?, ?)", bookmarks or [])
    connection.close()
    store.seal_plaintext()  # rows from a file an older version wrote are still plain
    return store


def _holds_sealed_values(path: Path) -> bool:
    """Did keys seal anything in this file? Its header says so (app/storage/sealed_format.py),
    even when damaged or when every write is still in its write-ahead log. A damaged file
    without the mark is from a version that sealed nothing: salvaged like any other."""
    if not path.exists() or sealed_format.is_marked_sealed(path):
        return path.exists()
    try:  # sealed before files were marked: its values say so
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # mode=ro reads the WAL too
        try:
            like = SEALED_PREFIX + "%"
            return connection.execute(
                "SELECT EXISTS (SELECT 1 FROM setting WHERE value LIKE ?) "
                "OR EXISTS (SELECT 1 FROM bookmark WHERE article_id LIKE ?)", (like, like)).fetchone()[0] == 1
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def _keys_lost(notices: list[StorageNotice], why: str) -> None:
    log.warning("the keys of the user database are %s; it is left as it is", why)
    notices.append(StorageNotice(StorageProblem.keys_lost))


def _user_keys(home: Path, *, may_create: bool, notices: list[StorageNotice]) -> StoredKeys | None:
    """The keys of the user database; None when data is sealed with keys that are gone.

    Missing keys are made only for a database that holds nothing sealed: new keys would
    never open the old values, and replacing damaged keys would lose them for good. Keys
    that do not open the database's check value belong to another one: as good as lost.
    (Starting fresh once the person confirms it is app.storage's "delete everything".)
    """
    store = FileKeyStore(user_key_file(home))
    path = user_db(home)
    if may_create:
        store.remove_leftovers()
    try:
        keys = load_keys(store)
    except OSError as error:
        _keys_lost(notices, f"unreadable ({type(error).__name__})")
        return None
    except KeyFileDamaged:
        if _holds_sealed_values(path):
            _keys_lost(notices, "damaged")
            return None
        if not may_create:
            return StoredKeys.new()
        # Nothing was sealed with it (a first launch cut short): kept aside, new keys made.
        kept = sqlite_files.move_aside(store.path)
        log.warning("the key file is damaged but nothing was sealed with it; moved aside to %s", kept.name)
        keys = None
    if keys is not None:
        if not sealed_format.keys_fit(path, keys.device):
            _keys_lost(notices, "those of another database")
            return None
        return keys
    if _holds_sealed_values(path):
        _keys_lost(notices, "missing")
        return None
    # Where nothing can be saved: keys for as long as the app runs.
    return create_keys(store) if may_create else StoredKeys.new()


def _open_user(home: Path, notices: list[StorageNotice]) -> UserStore:
    path = user_db(home)
    try:
        keys = _user_keys(home, may_create=True, notices=notices)
    except OSError:
        log.warning("the keys of the user database could not be saved; keeping user data in memory", exc_info=True)
        notices.append(StorageNotice(StorageProblem.cannot_save))
        return UserStore.in_memory_copy_of(None)
    if keys is None:  # the sealed file stays untouched until the person chooses to start fresh
        return UserStore.in_memory_copy_of(None)
    key_store = FileKeyStore(user_key_file(home))
    if path.exists() and not (sqlite_files.looks_intact(path) and sqlite_files.passes_quick_check(path)):
        return _salvage_user_db(path, keys, key_store, notices)
    try:
        return UserStore.on_disk(path, keys, key_store)
    except Exception as error:
        if sqlite_files.is_busy(error):  # another instance of the app is writing: not damage
            log.warning("user database busy; keeping user data in memory for this session")
            notices.append(StorageNotice(StorageProblem.cannot_save))
            return UserStore.in_memory_copy_of(path, keys)
        if not path.exists() or sqlite_files.free_bytes(home) < sqlite_files.MIN_FREE_BYTES:
            log.warning("user database could not be created; keeping user data in memory", exc_info=True)
            notices.append(StorageNotice(StorageProblem.cannot_save))
            return UserStore.in_memory_copy_of(None, keys)
        log.warning("user database could not be opened", exc_info=True)
        return _salvage_user_db(path, keys, key_store, notices)


class CouldNotDelete(Exception):
    """The person's files could not be removed (the storage cannot be written)."""


def start_user_data_afresh(home: Path, old: UserStore, notices: list[StorageNotice]) -> UserStore:
    """Delete everything the person saved (see app/storage/erase.py) and open a new, empty
    user database with new keys. Raises CouldNotDelete, leaving `old` in use."""
    from app.storage.erase import erase_personal_data

    old.close()  # its engine opens new connections if it is used again
    try:
        erase_personal_data(home)
    except OSError as error:
        log.warning("personal data could not be deleted (%s)", type(error).__name__)
        raise CouldNotDelete() from error
    return _open_user(home, notices)


def _note_unopenable(user: UserStore, notices: list[StorageNotice]) -> UserStore:
    """Values changed on disk read as unset; the person is told which kind, never the value."""
    names = user.unopenable()
    if names:
        log.warning("%d kinds of saved values could not be opened with this phone's keys", len(names))
    problems = []
    if BOOKMARK_CONTEXT in names:
        problems.append(StorageProblem.bookmarks_lost)
    if IMPORTANT_NUMBERS_KEY in names:
        problems.append(StorageProblem.important_numbers_lost)
    if names - {BOOKMARK_CONTEXT, IMPORTANT_NUMBERS_KEY}:
        problems.append(StorageProblem.settings_lost)
    known = {n.problem for n in notices}
    notices.extend(StorageNotice(p) for p in problems if p not in known)
    return user


def open_data(home: Path) -> OpenedData:
    """Open content and user data in `home`, working round whatever is wrong with it."""
    notices: list[StorageNotice] = []
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        log.warning("data folder cannot be created", exc_info=True)
    writable = sqlite_files.probe_writable(home)
    if not writable.ok:
        log.warning("data folder cannot be written (%s): nothing will be saved", writable.reason)
        content = _open_content_read_only(home)
        path = user_db(home)
        notices.append(StorageNotice(StorageProblem.cannot_save))
        keys = _user_keys(home, may_create=False, notices=notices)
        readable = keys is not None and path.exists() and sqlite_files.looks_intact(path) \
            and sqlite_files.passes_quick_check(path)
        user = UserStore.in_memory_copy_of(path if readable else None, keys)
        return OpenedData(content, _note_unopenable(user, notices), notices)
    # No room for the content in the data folder: read it from a temporary one.
    content = _open_content_writable(home, notices) or _content_in_temporary_folder()
    return OpenedData(content, _note_unopenable(_open_user(home, notices), notices), notices)


def rebuild_from_embedded(home: Path) -> None:
    """Replace a damaged content database with the embedded bundle's content."""
    sqlite_files.remove_with_side_files(content_db(home))
    _install_embedded(home)
