"""A process killed at any instant of an install leaves one complete version, never a mix."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from app.content.bundle_format import encode_item
from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR, REPO_ROOT, content_db

KILLS = 50

# Installs versions 1, 2, 3… forever, alternating two sets of items (A for odd, B for even).
CHILD = """
import json, sys, time
from datetime import datetime, timezone
from pathlib import Path
from app.content.install import NewVersion, install_version, installed_version
from app.storage.engines import open_content_engine
home = Path(sys.argv[1])
sets = json.loads(Path(sys.argv[2]).read_text())
now = datetime.now(timezone.utc)
open_content_engine(home / "warm-up.db").dispose()  # loads SQLAlchemy and Alembic before the first install
print("ready", flush=True)
while True:
    started = time.monotonic()
    version = (installed_version(home) or 0) + 1
    items = {p: d.encode() for p, d in sets["A" if version % 2 else "B"].items()}
    install_version(home, NewVersion(version, 2, now, now, items, {"marker": str(version).encode()}), now=now)
    print("installed", time.monotonic() - started, flush=True)
"""


# The texts of a few languages (every script kind: Latin, Devanagari, Burmese, Arabic, Thai) keep
# one install near the size this test was written for, as translations keep arriving.
TEXT_LANGUAGES = ("en", "ne", "my", "ur", "ar", "th")


def _item_sets(tmp_path):
    a = {path: encode_item(item).decode() for path, item in read_source(CONTENT_SOURCE_DIR).items()
         if not path.startswith("text/") or path.split("/")[1] in TEXT_LANGUAGES}
    b = dict(a)
    for path in list(b)[: len(b) // 3]:
        if path.startswith("text/"):
            item = json.loads(b[path])
            item["body"] += "\n\nChanged in version B."
            b[path] = json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    path = tmp_path / "sets.json"
    path.write_text(json.dumps({"A": a, "B": b}))
    return path, a, b


def _check_one_complete_version(home, a, b):
    with sqlite3.connect(content_db(home)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        (version,), = connection.execute("SELECT version FROM installedbundle").fetchall()
        items = dict(connection.execute("SELECT path, data FROM bundleitem").fetchall())
        marker = connection.execute("SELECT data FROM trustedmetadata WHERE role = 'marker'").fetchone()[0]
        texts = connection.execute("SELECT count(*) FROM articletext").fetchone()[0]
    expected = a if version % 2 else b
    assert {p: d.decode() for p, d in items.items()} == expected
    assert marker == str(version).encode()
    assert texts == sum(p.startswith("text/") for p in expected)
    return version


def _start_child(home, sets_file) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(sets_file)], cwd=REPO_ROOT, env=env,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "ready\n"  # imports done: from here on it only installs
    return child


def _seconds_per_install(home, sets_file) -> float:
    """How long one install takes on this machine now: kills are timed against it, so a
    loaded machine (slower installs) still has its kills land inside installs."""
    child = _start_child(home, sets_file)
    seconds = float(child.stdout.readline().split()[1])
    child.send_signal(signal.SIGKILL)
    child.wait()
    return seconds


def test_kill_9_at_random_points_never_leaves_a_mix(tmp_path):
    sets_file, a, b = _item_sets(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    rng = random.Random(2026)
    window = 1.5 * _seconds_per_install(home, sets_file)
    versions, mid_install = [], 0
    for _ in range(KILLS):
        child = _start_child(home, sets_file)
        time.sleep(rng.uniform(0.0, window))
        child.send_signal(signal.SIGKILL)
        child.wait()
        mid_install += content_db(home).with_name("content.db.new").exists()  # killed while building
        if content_db(home).exists():
            versions.append(_check_one_complete_version(home, a, b))
    assert len(versions) == KILLS  # the calibration run installed a first version
    assert versions == sorted(versions) and versions[-1] > 5  # installs kept making progress
    assert mid_install >= KILLS // 10  # and kills really landed in the middle of one (each checked above)
