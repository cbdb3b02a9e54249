"""The publisher's rounds over days: nothing to sign while content and signatures are fresh,
only the timestamp once half its week has passed, every role again once the snapshot is
half way to its expiry; a phone keeps syncing through all of it."""

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from tuf.api.metadata import Metadata, Timestamp

from app.content.fetch import LocalFetcher
from app.content.install import read_installed
from app.content.sync import sync
from app.storage.paths import CONTENT_SOURCE_DIR, TRUSTED_ROOT_FILE
from sync_server.paths import DEV_KEY_DIR, REPO_ROOT
from sync_server.publishing.keys import load_keys
from sync_server.publishing.publisher import PUBLISHED_LIFETIMES, publish_round


def _timestamp(data) -> Timestamp:
    return Metadata[Timestamp].from_file(str(data / "repository" / "metadata" / "timestamp.json")).signed


def _phone_syncs(phone, data) -> None:
    result = sync(phone, LocalFetcher(data / "repository"), trusted_root=TRUSTED_ROOT_FILE.read_bytes(), languages={"en"})
    assert result.status in ("updated", "up_to_date"), result.detail
    assert read_installed(phone).version == _timestamp(data).version


def test_rounds_renew_the_timestamp_then_re_sign_everything(tmp_path):
    data, phone, keys = tmp_path / "data", tmp_path / "phone", load_keys(DEV_KEY_DIR)
    phone.mkdir()
    now = datetime.now(timezone.utc).replace(microsecond=0)

    def round_at(days: float) -> str:
        return publish_round(data, CONTENT_SOURCE_DIR, keys, root_file=TRUSTED_ROOT_FILE, now=now + timedelta(days=days))

    assert round_at(0) == "published"
    first = _timestamp(data)
    _phone_syncs(phone, data)
    assert round_at(3) == "unchanged"
    assert _timestamp(data) == first

    assert round_at(4) == "renewed"  # less than half of the 7-day timestamp left
    renewed = _timestamp(data)
    assert renewed.version == first.version + 1
    assert renewed.expires == now + timedelta(days=4) + PUBLISHED_LIFETIMES.timestamp
    assert renewed.snapshot_meta == first.snapshot_meta  # same content, same snapshot
    _phone_syncs(phone, data)

    assert round_at(16) == "published"  # the 30-day snapshot is past half its life
    resigned = _timestamp(data)
    assert resigned.snapshot_meta.version > first.snapshot_meta.version
    _phone_syncs(phone, data)


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the publisher did not get there in time"
        time.sleep(0.2)


def test_a_broken_edit_does_not_stop_the_publisher(tmp_path):
    """Content that fails validation is logged and skipped; the next good edit is published."""
    data, source = tmp_path / "data", tmp_path / "content"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    log = tmp_path / "publisher.log"
    with open(log, "w") as stderr:
        publisher = subprocess.Popen(
            [sys.executable, "-m", "sync_server", "publisher", "--data", str(data), "--source", str(source),
             "--interval", "0.2"], cwd=REPO_ROOT, stderr=stderr, env={**os.environ, "SAFE_JOURNEY_ENV": ""})
    try:
        timestamp_file = data / "repository" / "metadata" / "timestamp.json"
        _wait_for(timestamp_file.exists)
        first = _timestamp(data).version
        topics = source / "topics.yaml"
        good = topics.read_text()
        topics.write_text(good + "\n- this: [is not\n")
        _wait_for(lambda: "publishing round failed" in log.read_text())
        assert publisher.poll() is None and _timestamp(data).version == first
        article = source / "articles" / "not-paid.md"
        topics.write_text(good)
        article.write_text(article.read_text() + "\nPublished after a broken edit.\n")
        _wait_for(lambda: _timestamp(data).version > first)
    finally:
        publisher.terminate()
        publisher.wait(timeout=10)
