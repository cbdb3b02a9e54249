"""A phone with too little free space is told so, in plain words, before anything is
downloaded; installed content stays. Uses a real, tiny filesystem (tmpfs)."""

import shutil
import subprocess

import pytest

from app.content.fetch import LocalFetcher
from app.content.install import read_installed
from app.content.sync import sync
from tests.factories import sign_bundle, valid_items


@pytest.fixture
def tiny_disk(tmp_path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)], check=True)
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_too_little_space_is_reported_before_downloading(tmp_path, tiny_disk):
    keys, root = sign_bundle(tmp_path / "repo")
    home = tiny_disk / "home"
    home.mkdir()
    assert sync(home, LocalFetcher(tmp_path / "repo"), trusted_root=root, languages=None).status == "updated"
    # Leave one megabyte: less than a new database beside the old one needs.
    (tiny_disk / "filler").write_bytes(b"\0" * (shutil.disk_usage(tiny_disk).free - 1_000_000))
    items = valid_items()
    items["text/en/keep-documents.json"]["body"] = "Changed."
    sign_bundle(tmp_path / "repo", items, keys=keys)
    fetcher = LocalFetcher(tmp_path / "repo")
    result = sync(home, fetcher, trusted_root=root, languages=None)
    assert result.status == "no_space"
    assert result.needed_bytes > 5_000_000  # the new database beside the old one, and a margin
    assert fetcher.bytes_downloaded < 6000  # timestamp and snapshot only: no content was fetched
    assert read_installed(home).version == 1
