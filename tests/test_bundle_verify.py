"""A signed bundle verifies; any change to it, or a key the root did not certify, is refused."""

import hashlib
import json
from datetime import timedelta

import pytest
from tuf.api.metadata import Metadata

from app.content.bundle_format import consistent_target_name, encode_item
from app.content.errors import BundleError
from app.content.verify import verify_bundle
from sync_server.keys import generate_keys
from sync_server.repository import make_root, write_bundle
from tests.factories import NOW, sign_bundle, valid_items


@pytest.fixture
def bundle(tmp_path):
    keys, root = sign_bundle(tmp_path / "bundle")
    return tmp_path / "bundle", keys, root


def test_signed_bundle_verifies_with_every_item(bundle):
    bundle_dir, _, root = bundle
    verified = verify_bundle(bundle_dir, root)
    assert verified.version == 1 and verified.format == 1
    assert verified.items == valid_items()
    assert verified.created_at == NOW
    assert not verified.expired(NOW)
    assert verified.expired(NOW + timedelta(days=400))


def _item_file(bundle_dir, path):
    data = encode_item(valid_items()[path])
    return bundle_dir / "targets" / consistent_target_name(path, hashlib.sha256(data).hexdigest())


def test_one_changed_byte_in_an_item_is_refused(bundle):
    bundle_dir, _, root = bundle
    item = _item_file(bundle_dir, "contact/my-emergency.json")
    item.write_bytes(item.read_bytes().replace(b"999", b"998"))
    with pytest.raises(BundleError, match="contact/my-emergency.json|hash|length"):
        verify_bundle(bundle_dir, root)


def test_a_missing_item_is_refused(bundle):
    bundle_dir, _, root = bundle
    _item_file(bundle_dir, "article/passport-taken.json").unlink()
    with pytest.raises(BundleError, match="cannot read"):
        verify_bundle(bundle_dir, root)


def test_an_item_longer_than_signed_is_refused(bundle):
    bundle_dir, _, root = bundle
    item = _item_file(bundle_dir, "article/passport-taken.json")
    item.write_bytes(item.read_bytes() + b" " * 10)
    with pytest.raises(BundleError, match="larger than its allowed"):
        verify_bundle(bundle_dir, root)


def test_edited_targets_metadata_is_refused(bundle):
    bundle_dir, _, root = bundle
    targets = bundle_dir / "metadata" / "1.targets.json"
    document = json.loads(targets.read_bytes())
    document["signed"]["x-safe-journey"]["created"] = "2030-01-01T00:00:00+00:00"
    targets.write_text(json.dumps(document))
    with pytest.raises(BundleError):
        verify_bundle(bundle_dir, root)


def test_unsigned_metadata_is_refused(bundle):
    bundle_dir, _, root = bundle
    timestamp = bundle_dir / "metadata" / "timestamp.json"
    document = json.loads(timestamp.read_bytes())
    document["signatures"] = []
    timestamp.write_text(json.dumps(document))
    with pytest.raises(BundleError, match="UnsignedMetadataError|signature"):
        verify_bundle(bundle_dir, root)


def test_a_bundle_signed_by_a_key_the_root_did_not_certify_is_refused(tmp_path, bundle):
    _, _, trusted_root = bundle
    sign_bundle(tmp_path / "impostor")  # fresh keys, its own root
    with pytest.raises(BundleError):
        verify_bundle(tmp_path / "impostor", trusted_root)


def test_an_online_key_swap_without_the_root_key_is_refused(tmp_path, bundle):
    _, keys, trusted_root = bundle
    attacker = generate_keys()
    forged = type(keys)(root=attacker.root, online=attacker.online)
    # The attacker writes a root v2 that names their key, but cannot sign it with the old root key.
    root_v2 = make_root(forged, version=2, expires=NOW + timedelta(days=30))
    write_bundle(tmp_path / "forged", valid_items(), forged, version=2, created=NOW,
                 expires=NOW + timedelta(days=30), root=root_v2)
    with pytest.raises(BundleError):
        verify_bundle(tmp_path / "forged", trusted_root)


def test_root_rotation_signed_by_the_old_root_is_followed(tmp_path, bundle):
    _, keys, trusted_root = bundle
    new_keys = generate_keys()
    root_v2 = make_root(new_keys, version=2, expires=NOW + timedelta(days=30))
    root_v2.sign(keys.root, append=True)  # the old root key certifies the new root
    write_bundle(tmp_path / "rotated", valid_items(), new_keys, version=2, created=NOW,
                 expires=NOW + timedelta(days=30), root=root_v2)
    assert verify_bundle(tmp_path / "rotated", trusted_root).version == 2


def test_snapshot_and_targets_from_two_versions_are_refused(tmp_path, bundle):
    bundle_dir, keys, root = bundle
    changed = valid_items()
    changed["text/en/keep-documents.json"]["body"] = "Changed advice."
    write_bundle(tmp_path / "v2", changed, keys, version=2, created=NOW,
                 expires=NOW + timedelta(days=30), root=Metadata.from_bytes(root))
    # Put version 2's targets under version 1's name: the snapshot pins targets version 1.
    (bundle_dir / "metadata" / "1.targets.json").write_bytes((tmp_path / "v2" / "metadata" / "2.targets.json").read_bytes())
    with pytest.raises(BundleError, match="claims version"):
        verify_bundle(bundle_dir, root)


def test_an_unknown_bundle_format_is_refused(tmp_path, monkeypatch):
    keys = generate_keys()
    root = make_root(keys, expires=NOW + timedelta(days=30))
    monkeypatch.setattr("sync_server.repository.FORMAT_VERSION", 99)  # a bundle from a future app
    write_bundle(tmp_path / "future", valid_items(), keys, version=1, created=NOW,
                 expires=NOW + timedelta(days=30), root=root)
    with pytest.raises(BundleError, match="format 99"):
        verify_bundle(tmp_path / "future", root.to_bytes())


def test_garbage_metadata_is_refused_not_crashed(bundle):
    bundle_dir, _, root = bundle
    (bundle_dir / "metadata" / "timestamp.json").write_bytes(b"<html>captive portal</html>")
    with pytest.raises(BundleError) as error:
        verify_bundle(bundle_dir, root)
    assert "not installed" in error.value.message
