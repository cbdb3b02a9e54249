"""Releases and keys, through the real commands: the root the app ships is replaced only when
asked (--new-root), an empty repository starts from it, production refuses the public
development keys in every role, and check-release says what would ship."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from securesystemslib.signer import SSlibKey
from tuf.api.metadata import Metadata, Root

from app.content.fetch import LocalFetcher
from app.content.sync import sync
from app.storage.paths import CONTENT_SOURCE_DIR, TRUSTED_ROOT_FILE
from sync_server.paths import DEV_KEY_DIR, REPO_ROOT
from sync_server.publishing.keys import SigningKeys, load_keys
from sync_server.publishing.release import check_release
from sync_server.publishing.repository import make_root


def _command(*args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SAFE_JOURNEY_ENV": "", **(env or {})}
    return subprocess.run([sys.executable, "-m", "sync_server", *map(str, args)], cwd=REPO_ROOT,
                          capture_output=True, text=True, env=environment)


def _trusted_key_ids(root_file) -> set[str]:
    return {keyid for role in Metadata[Root].from_file(str(root_file)).signed.roles.values() for keyid in role.keyids}


@pytest.fixture
def ceremony_keys(tmp_path):
    keys = tmp_path / "ceremony"
    assert _command("make-keys", "--keys", keys).returncode == 0
    return keys


def test_building_the_bundle_after_a_key_ceremony_keeps_the_shipped_root(tmp_path, ceremony_keys):
    root_file, bundle = tmp_path / "root.json", tmp_path / "bundle"
    shutil.copyfile(TRUSTED_ROOT_FILE, root_file)
    shipped = root_file.read_bytes()

    refused = _command("build-bundle", "--keys", ceremony_keys, "--root", root_file, "--bundle", bundle)
    assert refused.returncode != 0 and "--new-root" in refused.stderr
    assert root_file.read_bytes() == shipped and not bundle.exists()

    built = _command("build-bundle", "--keys", ceremony_keys, "--root", root_file, "--bundle", bundle, "--new-root")
    assert built.returncode == 0, built.stderr
    keys = load_keys(ceremony_keys)
    assert _trusted_key_ids(root_file) == {keys.root.public_key.keyid, keys.online.public_key.keyid}

    ready = _command("check-release", "--root", root_file, "--bundle", bundle)
    assert ready.returncode == 0, ready.stderr
    assert "ready to ship" in ready.stdout and "DEVELOPMENT" not in ready.stdout
    # The same bundle against the development root the repository ships: signed under another root.
    mismatched = _command("check-release", "--root", TRUSTED_ROOT_FILE, "--bundle", bundle)
    assert mismatched.returncode != 0 and "another root" in mismatched.stderr


def test_check_release_fails_while_the_app_trusts_development_keys():
    checked = _command("check-release")
    assert checked.returncode != 0
    for role in ("root", "targets", "snapshot", "timestamp"):
        assert f"  {role}: " in checked.stdout
    assert "DEVELOPMENT KEY" in checked.stdout and "NOT READY TO SHIP" in checked.stderr
    assert "development keys for: root, snapshot, targets, timestamp" in checked.stderr


def test_publishing_into_an_empty_folder_starts_from_the_shipped_root(tmp_path):
    published = _command("publish", "--data", tmp_path / "data")
    assert published.returncode == 0, published.stderr
    repository = tmp_path / "data" / "repository"
    assert (repository / "metadata" / "root.json").read_bytes() == TRUSTED_ROOT_FILE.read_bytes()
    phone = tmp_path / "phone"
    phone.mkdir()
    result = sync(phone, LocalFetcher(repository), trusted_root=TRUSTED_ROOT_FILE.read_bytes(), languages={"en"})
    assert result.status == "updated", result.detail


def test_keys_the_shipped_root_does_not_name_publish_nothing_without_new_root(tmp_path, ceremony_keys):
    refused = _command("publish", "--data", tmp_path / "data", "--keys", ceremony_keys)
    assert refused.returncode != 0 and "does not trust this online key" in refused.stderr
    assert not (tmp_path / "data" / "repository" / "metadata" / "timestamp.json").exists()


def _mixed_keys(folder, ceremony_keys, *, development: str) -> None:
    """A key folder holding the development key for one role and a ceremony key for the others."""
    folder.mkdir()
    for name in ("root.pem", "online.pem"):
        source = DEV_KEY_DIR if development in (name.removesuffix(".pem"), "both") else ceremony_keys
        shutil.copyfile(source / name, folder / name)


@pytest.mark.parametrize("setting", ["production", "Production", "PRODUCTION "])
@pytest.mark.parametrize("development", ["root", "online", "both"])
def test_production_refuses_a_development_key_in_any_role(tmp_path, ceremony_keys, setting, development):
    keys = tmp_path / "keys"
    _mixed_keys(keys, ceremony_keys, development=development)
    refused = _command("publish", "--data", tmp_path / "data", "--keys", keys, "--new-root",
                       env={"SAFE_JOURNEY_ENV": setting})
    assert refused.returncode != 0 and "development" in refused.stderr
    assert not (tmp_path / "data" / "repository").exists()


def test_production_signs_with_ceremony_keys(tmp_path, ceremony_keys):
    published = _command("publish", "--data", tmp_path / "data", "--keys", ceremony_keys, "--new-root",
                         "--source", CONTENT_SOURCE_DIR, env={"SAFE_JOURNEY_ENV": "production"})
    assert published.returncode == 0, published.stderr


def test_production_refuses_a_root_that_trusts_the_development_root_key(tmp_path, ceremony_keys):
    """A ceremony online key is not enough when the root key is the public one."""
    (ceremony_keys / "root.pem").unlink()  # the publishing machine holds only the online key
    root_file = tmp_path / "root.json"
    expires = Metadata[Root].from_file(str(TRUSTED_ROOT_FILE)).signed.expires
    make_root(SigningKeys(root=load_keys(DEV_KEY_DIR).root, online=load_keys(ceremony_keys).online),
              expires=expires).to_file(str(root_file))
    refused = _command("build-bundle", "--keys", ceremony_keys, "--root", root_file, "--bundle", tmp_path / "bundle",
                       env={"SAFE_JOURNEY_ENV": "production"})
    assert refused.returncode != 0 and "development keys for: root" in refused.stderr
    assert not (tmp_path / "bundle").exists()


def test_a_repository_made_at_a_ceremony_refuses_a_later_publish_with_other_keys(tmp_path, ceremony_keys):
    data = tmp_path / "data"
    assert _command("publish", "--data", data, "--keys", ceremony_keys, "--new-root").returncode == 0
    timestamp = data / "repository" / "metadata" / "timestamp.json"
    before = timestamp.read_bytes()
    forgot_keys = _command("publish", "--data", data)  # the development keys by default
    assert forgot_keys.returncode != 0 and "does not trust this online key" in forgot_keys.stderr
    assert timestamp.read_bytes() == before  # nothing signed that every phone would refuse


@pytest.mark.parametrize("setting", ["prod", "production\u200b", "Production;", "staging"])
def test_an_unknown_environment_setting_signs_nothing(tmp_path, setting):
    refused = _command("publish", "--data", tmp_path / "data", env={"SAFE_JOURNEY_ENV": setting})
    assert refused.returncode != 0 and "SAFE_JOURNEY_ENV must be" in refused.stderr
    assert not (tmp_path / "data" / "repository" / "metadata" / "timestamp.json").exists()


def _ceremony_bundle(tmp_path, ceremony_keys):
    root_file, bundle = tmp_path / "root.json", tmp_path / "bundle"
    built = _command("build-bundle", "--keys", ceremony_keys, "--root", root_file, "--bundle", bundle, "--new-root")
    assert built.returncode == 0, built.stderr
    return root_file, bundle


def test_check_release_verifies_the_bundles_signatures_not_just_its_root(tmp_path, ceremony_keys):
    root_file, bundle = _ceremony_bundle(tmp_path, ceremony_keys)
    timestamp = bundle / "metadata" / "timestamp.json"
    signed = json.loads(timestamp.read_bytes())
    signature = signed["signatures"][0]["sig"]
    signed["signatures"][0]["sig"] = ("0" if signature[0] != "0" else "1") + signature[1:]
    timestamp.write_text(json.dumps(signed))
    report = check_release(root_file=root_file, bundle_dir=bundle)
    assert any("fails the app's own check" in problem for problem in report.problems), report.problems


def test_check_release_finds_a_development_key_listed_under_another_id(tmp_path, ceremony_keys):
    """Key ids are labels a root chooses: the key's value decides what it trusts."""
    root_file, bundle = _ceremony_bundle(tmp_path, ceremony_keys)
    root = Metadata[Root].from_file(str(root_file))
    development = load_keys(DEV_KEY_DIR).online.public_key
    disguised = SSlibKey("f" * 64, development.keytype, development.scheme, development.keyval)
    root.signed.add_key(disguised, "timestamp")
    root.signatures.clear()
    root.sign(load_keys(ceremony_keys).root)
    root.to_file(str(root_file))
    report = check_release(root_file=root_file, bundle_dir=bundle)
    assert any("development keys for: timestamp" in problem for problem in report.problems), report.problems
