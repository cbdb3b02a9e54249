"""Ways a phone's storage goes wrong, done for real: damaged files, read-only and full folders.

Root ignores file permissions, so a read-only folder is a read-only mount, and a full
disk is a small tmpfs filled to the last byte.
"""

from __future__ import annotations

import errno
import os
import random
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def garble_header(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(b"this is not SQLite at all")


def cut_short(path: Path, size: int) -> None:
    os.truncate(path, size)


def damage_pages(path: Path, count: int, *, seed: int = 9) -> None:
    """Overwrite `count` whole pages (never the first) with random bytes."""
    page_size = 4096
    pages = path.stat().st_size // page_size
    rng = random.Random(seed)
    with open(path, "r+b") as handle:
        for page in rng.sample(range(1, pages), count):
            handle.seek(page * page_size)
            handle.write(rng.randbytes(page_size))


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def make_read_only(folder: Path) -> None:
    """Remount a tmpfs read-only (the data it holds stays)."""
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Write a file until the disk has not one byte left."""
    descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 4096, 1):
            while True:
                try:
                    os.write(descriptor, b"\0" * size)
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
                    break
    finally:
        os.close(descriptor)
