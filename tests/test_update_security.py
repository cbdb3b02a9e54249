"""Updates follow TUF's rules: anything altered, replayed, expired, mixed or signed by a
key the root did not certify is refused, and the installed content stays exactly as it was."""

import hashlib
import json
import shutil
from datetime import timedelta

import pytest
from tuf.api.metadata import Metadata

from app.content.bundle_format import bins, consistent_target_name
from app.content.embedded import ensure_embedded_installed
from app.content.errors import Reason
from app.content.fetch import LocalFetcher
from app.content.install import read_installed
from app.content.sync import sync
from app.storage.paths import content_db
from sync_server.publishing.keys import generate_keys
from sync_server.publishing.repository import Lifetimes, make_root
from tests.factories import NOW, installed_items, sign_bundle, valid_items


def _sync(home, repo, root, languages=None):
    return sync(home, LocalFetcher(repo), trusted_root=root, languages=languages)


def _fingerprint(home):
    return hashlib.sha256(content_db(home).read_bytes()).hexdigest() if content_db(home).exists() else None


@pytest.fixture
def repo(tmp_path):
    keys, root = sign_bundle(tmp_path / "repo")
    return tmp_path / "repo", keys, root


@pytest.fixture
def home_v1(tmp_path, repo):
    home = tmp_path / "home"
    home.mkdir()
    assert _sync(home, repo[0], repo[2]).status == "updated"
    return home


def _edited_items():
    items = valid_items()
    items["text/en/keep-documents.json"]["body"] = "Keep your documents in a plastic bag. Changed."
    return items


def _target_file(repo_dir, path):
    """The file of `path` in the repository's newest version (older versions' files stay beside it)."""
    version = Metadata.from_bytes((repo_dir / "metadata" / "timestamp.json").read_bytes()).signed.version
    snapshot = Metadata.from_bytes((repo_dir / "metadata" / f"{version}.snapshot.json").read_bytes()).signed
    role = "packs" if path.startswith("packs/") else bins([]).get_role_for_target(path)
    listing = Metadata.from_bytes((repo_dir / "metadata" / f"{snapshot.meta[role + '.json'].version}.{role}.json").read_bytes())
    sha256 = listing.signed.targets[path].hashes["sha256"]
    return repo_dir / "targets" / consistent_target_name(path, sha256)


def test_first_sync_installs_every_item(home_v1):
    state = read_installed(home_v1)
    assert state.version == 1
    assert {p: json.loads(d) for p, d in installed_items(home_v1).items()} == valid_items()
    assert set(state.metadata) == {"root", "timestamp", "snapshot", "targets"}


def test_a_one_article_change_downloads_that_article_only(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    fetcher = LocalFetcher(repo_dir)
    result = sync(home_v1, fetcher, trusted_root=root, languages={"en"})
    assert (result.status, result.from_version, result.to_version) == ("updated", 1, 2)
    items = installed_items(home_v1)
    assert json.loads(items["text/en/keep-documents.json"])["body"].endswith("Changed.")
    item_size = len(_target_file(repo_dir, "text/en/keep-documents.json").read_bytes())
    assert fetcher.bytes_downloaded < item_size + 6000  # timestamp, snapshot, one bin, the item


def test_removed_items_are_removed_and_other_languages_are_left_alone(home_v1, repo):
    repo_dir, keys, root = repo
    items = valid_items()
    del items["article/malaysia-help.json"], items["text/en/malaysia-help.json"]
    items["text/th/passport-taken.json"]["title"] = "หัวข้อใหม่"
    sign_bundle(repo_dir, items, keys=keys)
    assert _sync(home_v1, repo_dir, root, languages={"en"}).status == "updated"
    installed = installed_items(home_v1)
    assert "article/malaysia-help.json" not in installed
    assert json.loads(installed["text/th/passport-taken.json"])["title"] != "หัวข้อใหม่"


def test_up_to_date_is_reported_and_changes_nothing(home_v1, repo):
    before = _fingerprint(home_v1)
    assert _sync(home_v1, repo[0], repo[2]).status == "up_to_date"
    assert _fingerprint(home_v1) == before


def _refused_and_unchanged(home, repo_dir, root, reason=Reason.refused):
    before = _fingerprint(home)
    result = _sync(home, repo_dir, root)
    assert result.reason == reason, result.detail
    assert _fingerprint(home) == before
    return result


def test_a_tampered_item_is_refused(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    item = _target_file(repo_dir, "text/en/keep-documents.json")
    item.write_bytes(item.read_bytes().replace(b"plastic", b"PLASTIC"))
    _refused_and_unchanged(home_v1, repo_dir, root)


def test_a_forged_emergency_number_in_a_pack_is_refused(tmp_path, repo):
    repo_dir, _, root = repo
    pack = _target_file(repo_dir, "packs/common.json")
    pack.write_bytes(pack.read_bytes().replace(b'"999"', b'"911"'))
    home = tmp_path / "fresh"
    home.mkdir()
    _refused_and_unchanged(home, repo_dir, root)
    assert read_installed(home).version is None


def test_tampered_metadata_is_refused(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    snapshot = repo_dir / "metadata" / "2.snapshot.json"
    document = json.loads(snapshot.read_bytes())
    document["signed"]["expires"] = "2099-01-01T00:00:00Z"
    snapshot.write_text(json.dumps(document))
    _refused_and_unchanged(home_v1, repo_dir, root)


def test_unsigned_metadata_is_refused(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    timestamp = repo_dir / "metadata" / "timestamp.json"
    document = json.loads(timestamp.read_bytes())
    document["signatures"] = []
    timestamp.write_text(json.dumps(document))
    _refused_and_unchanged(home_v1, repo_dir, root)


def test_replaying_an_older_version_is_refused(tmp_path, repo):
    repo_dir, keys, root = repo
    old_copy = tmp_path / "v1-copy"
    shutil.copytree(repo_dir, old_copy)
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    home = tmp_path / "h"
    home.mkdir()
    assert _sync(home, repo_dir, root).to_version == 2
    _refused_and_unchanged(home, old_copy, root)
    assert read_installed(home).version == 2


def test_expired_metadata_is_refused_and_the_old_content_keeps_working(home_v1, repo):
    repo_dir, keys, root = repo
    short = Lifetimes(timestamp=timedelta(days=1), snapshot=timedelta(days=1), targets=timedelta(days=1))
    sign_bundle(repo_dir, _edited_items(), keys=keys, now=NOW - timedelta(days=30), lifetimes=short)
    result = _refused_and_unchanged(home_v1, repo_dir, root, Reason.expired)
    assert result.status == "refused" and "ExpiredMetadataError" in result.detail
    assert read_installed(home_v1).version == 1


def test_files_from_two_versions_are_refused(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    old = repo_dir / "metadata" / "1.changes.json"
    (repo_dir / "metadata" / "2.changes.json").write_bytes(old.read_bytes())  # v1's change lists under v2's name
    _refused_and_unchanged(home_v1, repo_dir, root)


def test_an_oversized_file_is_cut_off_and_refused(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    item = _target_file(repo_dir, "text/en/keep-documents.json")
    item.write_bytes(item.read_bytes() + b" " * 1_000_000)
    _refused_and_unchanged(home_v1, repo_dir, root)


def test_a_key_the_root_did_not_certify_is_refused(tmp_path, home_v1, repo):
    _, _, root = repo
    impostor, _ = tmp_path / "impostor", sign_bundle(tmp_path / "impostor", _edited_items())
    _refused_and_unchanged(home_v1, impostor, root)


def test_a_new_root_not_signed_by_the_old_root_key_is_refused(tmp_path, home_v1, repo):
    repo_dir, keys, root = repo
    attacker = generate_keys()
    forged = make_root(attacker, version=2, expires=NOW + timedelta(days=30))
    (repo_dir / "metadata" / "2.root.json").write_bytes(forged.to_bytes())
    sign_bundle(repo_dir, _edited_items(), keys=attacker, root=forged)
    _refused_and_unchanged(home_v1, repo_dir, root)


def test_a_root_rotation_signed_by_the_old_root_key_is_followed(tmp_path, home_v1, repo):
    repo_dir, keys, root = repo
    new_keys = generate_keys()
    rotated = make_root(new_keys, version=2, expires=NOW + timedelta(days=365))
    rotated.sign(keys.root, append=True)
    (repo_dir / "metadata" / "2.root.json").write_bytes(rotated.to_bytes())
    sign_bundle(repo_dir, _edited_items(), keys=new_keys, root=rotated)
    assert _sync(home_v1, repo_dir, root).status == "updated"
    assert Metadata.from_bytes(read_installed(home_v1).metadata["root"]).signed.version == 2


def test_a_web_page_instead_of_metadata_is_a_captive_portal_not_an_attack(home_v1, repo):
    repo_dir, _, root = repo
    (repo_dir / "metadata" / "timestamp.json").write_bytes(b"\n <!DOCTYPE html><HTML><body>Log in to Wi-Fi</body></html>")
    result = _refused_and_unchanged(home_v1, repo_dir, root, Reason.captive_portal)
    assert result.status == "failed"


def test_metadata_garbled_on_the_way_is_a_network_fault_not_an_attack(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    timestamp = repo_dir / "metadata" / "timestamp.json"
    timestamp.write_bytes(timestamp.read_bytes()[:-40])  # cut short: not even JSON
    result = _refused_and_unchanged(home_v1, repo_dir, root, Reason.mangled)
    assert result.status == "failed"


def test_an_unknown_format_is_refused(home_v1, repo, monkeypatch):
    repo_dir, keys, root = repo
    monkeypatch.setattr("sync_server.publishing.repository.FORMAT_VERSION", 99)  # a repository for a future app
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    result = _refused_and_unchanged(home_v1, repo_dir, root, Reason.needs_newer_app)
    assert "format 99" in result.detail


def test_an_edited_role_fails_its_signature(home_v1, repo):
    repo_dir, keys, root = repo
    sign_bundle(repo_dir, _edited_items(), keys=keys)
    role_file = repo_dir / "metadata" / "2.changes.json"
    document = json.loads(role_file.read_bytes())
    for target in document["signed"]["targets"].values():
        target["length"] += 1
    role_file.write_text(json.dumps(document, separators=(",", ":")))
    result = _refused_and_unchanged(home_v1, repo_dir, root)
    assert "UnsignedMetadataError" in result.detail


def test_replaying_the_installed_version_after_it_expired_is_not_up_to_date(tmp_path):
    short = Lifetimes(timestamp=timedelta(days=1), snapshot=timedelta(days=1), targets=timedelta(days=1))
    keys, root = sign_bundle(tmp_path / "repo", now=NOW - timedelta(days=30), lifetimes=short)
    home = tmp_path / "home"
    home.mkdir()
    # The bundle inside the app may be old: it installs, expired.
    root_file = tmp_path / "root.json"
    root_file.write_bytes(root)
    assert ensure_embedded_installed(home, bundle_dir=tmp_path / "repo", trusted_root_file=root_file).installed
    result = _refused_and_unchanged(home, tmp_path / "repo", root, Reason.expired)  # a network replaying it forever
    assert "expired" in result.detail


def test_a_far_behind_phone_drops_texts_of_deleted_articles_in_languages_it_does_not_follow(home_v1, repo):
    repo_dir, keys, root = repo
    items = valid_items()
    for path in ("article/passport-taken.json", "text/en/passport-taken.json", "text/th/passport-taken.json",
                 "text/my/passport-taken.json", "text/km/passport-taken.json"):
        del items[path]
    items["article/keep-documents.json"]["related"] = []
    sign_bundle(repo_dir, items, keys=keys)
    result = sync(home_v1, LocalFetcher(repo_dir), trusted_root=root, languages={"en"}, full_only=True)
    assert result.status == "updated", result.detail
    assert not [p for p in installed_items(home_v1) if "passport-taken" in p]


# A LocalFetcher that remembers which files a sync asked for.
class _Recording(LocalFetcher):
    def __init__(self, root):
        super().__init__(root)
        self.paths = []

    def fetch(self, path, max_length):
        self.paths.append(path)
        return super().fetch(path, max_length)


def _edit(repo_dir, keys, n):
    items = valid_items()
    items["text/en/keep-documents.json"]["body"] = f"Keep your documents in a plastic bag. Edit {n}."
    sign_bundle(repo_dir, items, keys=keys)


def test_a_phone_a_few_versions_behind_follows_the_change_lists(home_v1, repo):
    repo_dir, keys, root = repo
    _edit(repo_dir, keys, 2)
    _edit(repo_dir, keys, 3)
    fetcher = _Recording(repo_dir)
    result = sync(home_v1, fetcher, trusted_root=root, languages={"en"})
    assert (result.reason, result.to_version) == (Reason.updated, 3), result.detail
    fetched = [p.split("/")[1] for p in fetcher.paths if p.startswith("targets/")]
    assert fetched == ["changes", "changes", "text"]  # v3's list, v2's list, the one item
    assert json.loads(installed_items(home_v1)["text/en/keep-documents.json"])["body"].endswith("Edit 3.")


def test_a_phone_further_behind_than_the_change_lists_downloads_packs(home_v1, repo):
    repo_dir, keys, root = repo
    for n in range(2, 7):
        _edit(repo_dir, keys, n)
    fetcher = _Recording(repo_dir)
    result = sync(home_v1, fetcher, trusted_root=root, languages={"en"})
    assert (result.reason, result.to_version) == (Reason.updated, 6), result.detail
    assert any(p.startswith("targets/packs/") for p in fetcher.paths)
    assert json.loads(installed_items(home_v1)["text/en/keep-documents.json"])["body"].endswith("Edit 6.")


def test_change_lists_from_another_history_are_not_applied(tmp_path, repo):
    """The app's own bundle may share version numbers with the server but not its content."""
    repo_dir, keys, root = repo
    other = tmp_path / "other-history"
    shutil.copytree(repo_dir, other)

    def version_2(folder, words, now):
        items = valid_items()
        items["text/en/keep-documents.json"]["body"] = words
        items["text/en/malaysia-help.json"]["body"] = words
        sign_bundle(folder, items, keys=keys, now=now)

    version_2(other, "Only in the other history.", NOW - timedelta(minutes=1))  # signed at another time
    version_2(repo_dir, "The server's words.", NOW)
    home = tmp_path / "h"
    home.mkdir()
    assert _sync(home, other, root).to_version == 2
    items = valid_items()
    items["text/en/malaysia-help.json"]["body"] = "The server's words."
    sign_bundle(repo_dir, items, keys=keys)  # v3 changes keep-documents only
    fetcher = _Recording(repo_dir)
    result = sync(home, fetcher, trusted_root=root, languages={"en"})
    assert result.to_version == 3, result.detail
    assert any(p.startswith("targets/packs/") for p in fetcher.paths)
    assert json.loads(installed_items(home)["text/en/malaysia-help.json"])["body"] == "The server's words."


def test_a_tampered_change_list_is_refused(home_v1, repo):
    repo_dir, keys, root = repo
    _edit(repo_dir, keys, 2)
    (listing,) = [p for p in (repo_dir / "targets" / "changes").iterdir() if p.name.endswith(".2.json")]
    listing.write_bytes(listing.read_bytes().replace(b'"base":{', b'"base":{"x":1,'))
    _refused_and_unchanged(home_v1, repo_dir, root)


def test_a_renewed_timestamp_downloads_no_content_and_moves_last_verified(home_v1, repo):
    from sqlmodel import Session

    from app.content.freshness import read_freshness
    from app.storage.engines import open_content_engine
    from sync_server.publishing.repository import renew_timestamp

    repo_dir, keys, root = repo
    later = NOW + timedelta(hours=1)
    renew_timestamp(repo_dir, keys, now=later, lifetime=timedelta(days=7))
    fetcher = _Recording(repo_dir)
    result = sync(home_v1, fetcher, trusted_root=root, languages={"en"})
    assert (result.reason, result.to_version) == (Reason.updated, 2), result.detail
    assert not [p for p in fetcher.paths if p.startswith("targets/")]  # same snapshot: nothing to fetch
    assert {p: json.loads(d) for p, d in installed_items(home_v1).items()} == valid_items()
    engine = open_content_engine(content_db(home_v1))
    try:
        with Session(engine) as session:
            assert read_freshness(session).verified_at == later
    finally:
        engine.dispose()
