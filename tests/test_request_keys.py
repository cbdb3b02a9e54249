"""Request keys: made by `request-key new` (0600, only the public entry printed), the committed
development pair matches content/request_keys.yaml, and rotation keeps old requests open."""

import base64
import hashlib
import stat
import subprocess
import sys
from datetime import date

import pytest
import yaml
from nacl.public import PrivateKey, PublicKey, SealedBox

from sync_server.paths import DEV_REQUEST_KEY, REPO_ROOT, REQUEST_KEYS_FILE, request_keys_dir
from sync_server.requests.keys import (BadSeal, NoRequestKey, PublicEntry, decode_sealed, load_keyring, new_request_key,
                                       read_public_entries)


def _seal_to(entry: PublicEntry, plaintext: bytes) -> bytes:
    return SealedBox(PublicKey(base64.b64decode(entry.public_key))).encrypt(plaintext)


def _write_content(path, *entries: PublicEntry) -> None:
    path.write_text("".join(entry.to_yaml() for entry in entries))


def test_request_key_new_keeps_the_private_half_in_the_data_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sync_server", "request-key", "new", "--data", str(tmp_path)],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    [entry] = yaml.safe_load(result.stdout)
    [key_file] = request_keys_dir(tmp_path).iterdir()
    assert key_file.name == f"{entry['key_id']}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private = PrivateKey(base64.b64decode(key_file.read_text()))
    public = bytes(private.public_key)
    assert base64.b64decode(entry["public_key"]) == public
    assert entry["key_id"] == hashlib.sha256(public).hexdigest()[:16]
    assert entry["from"] == date.today()
    # The private half is never printed.
    assert key_file.read_text().strip() not in result.stdout + result.stderr


def test_the_committed_development_pair_matches_the_content():
    private = PrivateKey(base64.b64decode(DEV_REQUEST_KEY.read_text()))
    entries = yaml.safe_load(REQUEST_KEYS_FILE.read_text())
    [entry] = [e for e in entries if base64.b64decode(e["public_key"]) == bytes(private.public_key)]
    assert entry["key_id"] == hashlib.sha256(bytes(private.public_key)).hexdigest()[:16]


def test_rotation_keeps_old_requests_open_and_seals_notes_to_the_new_key(tmp_path):
    content = tmp_path / "request_keys.yaml"
    old = new_request_key(tmp_path, today=date(2026, 1, 1))
    _write_content(content, old)
    sealed_before = _seal_to(old, b'{"name": "sealed before the rotation"}')
    assert load_keyring(tmp_path, content).current_id == old.key_id

    new = new_request_key(tmp_path, today=date(2026, 6, 1))
    _write_content(content, new, old)  # the order in the file does not matter: the newest date does
    keyring = load_keyring(tmp_path, content)
    assert keyring.current_id == new.key_id
    assert keyring.open(old.key_id, sealed_before) == b'{"name": "sealed before the rotation"}'
    assert keyring.open(new.key_id, _seal_to(new, b"after")) == b"after"
    note_key, note = keyring.seal(b"a caseworker's note")
    assert note_key == new.key_id
    assert SealedBox(keyring.private_keys[new.key_id]).decrypt(note) == b"a caseworker's note"


def test_a_box_that_does_not_open_is_a_bad_seal(tmp_path):
    content = tmp_path / "request_keys.yaml"
    first, second = new_request_key(tmp_path), new_request_key(tmp_path)
    _write_content(content, first, second)
    keyring = load_keyring(tmp_path, content)
    sealed = _seal_to(first, b"x")
    with pytest.raises(BadSeal):
        keyring.open(second.key_id, sealed)  # sealed to another key
    with pytest.raises(BadSeal):
        keyring.open("0000000000000000", sealed)  # a key the server never made
    with pytest.raises(BadSeal):
        decode_sealed("not base64!")


def test_a_server_without_the_private_key_the_content_names_says_so(tmp_path):
    content = tmp_path / "request_keys.yaml"
    _write_content(content, new_request_key(tmp_path / "elsewhere"))
    new_request_key(tmp_path)
    with pytest.raises(NoRequestKey):
        load_keyring(tmp_path, content)


def test_a_key_file_is_found_by_its_value_not_its_name(tmp_path):
    """make run installs the development key as request-keys/development.key."""
    (tmp_path / "request-keys").mkdir()
    (tmp_path / "request-keys" / "development.key").write_bytes(DEV_REQUEST_KEY.read_bytes())
    keyring = load_keyring(tmp_path, REQUEST_KEYS_FILE)
    entries = {entry.key_id for entry in read_public_entries(REQUEST_KEYS_FILE)}
    assert keyring.current_id in entries
