"""What staying current costs a phone: bytes per day when nothing changes (the background
owner's checks at the default 30-minute interval), and bytes and seconds for a new notice.

Part 1 (loopback, no root): the app's own BackgroundUpdates owner checks a real sync server
through a proxy that counts every byte each way (HTTP status lines, headers and bodies; not
TCP/IP or TLS). Time is compressed (checks 0.2 s apart); the figure is per check x 48.
Compared in the same run with a floor: the smallest conditional exchange by hand (a raw
`GET` with only Host and If-None-Match, answered 304 by the same server), and with a full
check without the ETag (what every check cost before).

Part 2 (needs root: the 2G namespace of bench/netem.py): a notice is published; the phone's
sync of it is timed over 100 kbit/s with a 300 ms round trip. Publish-to-screen is that plus
the wait for the next check (on average half the interval: 2.5 min while a notice for the
person's countries is in force, else 15 min). Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.background_updates import BackgroundUpdates  # noqa: E402
from app.content.sync_policy import CheckSchedule, Network  # noqa: E402
from app.runtime import Runtime  # noqa: E402
from app.storage.paths import CONTENT_SOURCE_DIR, REPO_ROOT  # noqa: E402
from sync_server.local_process import running_sync_server  # noqa: E402
from tests.faultproxy import FaultProxy  # noqa: E402

CHECKS_PER_DAY = 24 * 60 // 30
MEASURED_CHECKS = 20


def publish(data: Path, source: Path) -> None:
    subprocess.run([sys.executable, "-m", "sync_server", "publish", "--data", str(data), "--source", str(source)],
                   cwd=REPO_ROOT, check=True, capture_output=True)


def write_notice(source: Path) -> None:
    today = date.today()
    (source / "notices" / "bench-flood.yaml").write_text(
        "id: bench-flood\ncountries: [MY]\nseverity: danger\n"
        f"starts: {today.isoformat()}\nends: {(today + timedelta(days=3)).isoformat()}\n"
        'title:\n  en: "Flood warning in Selangor"\n  ne: "सेलाङ्गोरमा बाढीको चेतावनी"\n'
        'body:\n  en: "Move to higher ground. Follow the orders of the local authorities."\n')


def _raw_conditional(port: int, etag: str) -> tuple[int, int]:
    """The floor: bytes up and down for the smallest conditional GET anyone could send."""
    request = (f"GET /repository/metadata/timestamp.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"If-None-Match: {etag}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 304"), answer[:40]
    return len(request), len(answer)


def part_one(folder: Path) -> None:
    data = folder / "server"
    publish(data, CONTENT_SOURCE_DIR)
    with running_sync_server(data) as base:
        port = int(base.rsplit(":", 1)[1])
        proxy = FaultProxy(port)
        runtime = Runtime.open(folder / "phone")
        updates = BackgroundUpdates(lambda: runtime, f"http://127.0.0.1:{proxy.port}/repository", network=Network.wifi,
                                    schedule=CheckSchedule(interval=0.2, first_check=0.0))
        counts: list[tuple[int, int, int]] = []
        done = threading.Event()

        def heard(status) -> None:
            if not status.checking:
                counts.append((len(proxy.requests), proxy.bytes_from_client, proxy.bytes_to_client))
                if len(counts) > MEASURED_CHECKS:
                    done.set()

        updates.subscribe(heard)
        updates.start()
        done.wait(300)
        updates.stop()
        (r0, up0, down0), (r1, up1, down1) = counts[0], counts[MEASURED_CHECKS]
        checks = MEASURED_CHECKS
        up, down = (up1 - up0) / checks, (down1 - down0) / checks
        print(f"nothing new, per check: {(r1 - r0) / checks:.0f} request, {up:.0f} bytes up, {down:.0f} bytes down "
              f"({up + down:.0f} bytes)")
        print(f"nothing new, per day at the default interval ({CHECKS_PER_DAY} checks): "
              f"{down * CHECKS_PER_DAY / 1000:.1f} kB down, {(up + down) * CHECKS_PER_DAY / 1000:.1f} kB both ways")

        etag = runtime.user.setting("checked_timestamp")["etag"]
        floor_up, floor_down = _raw_conditional(port, etag)
        print(f"floor (raw GET, Host + If-None-Match only, same server): {floor_up} bytes up, {floor_down} bytes down "
              f"({floor_up + floor_down} bytes; x{CHECKS_PER_DAY} = {(floor_up + floor_down) * CHECKS_PER_DAY / 1000:.1f} kB/day)")

        import httpx

        before = (len(proxy.requests), proxy.bytes_from_client, proxy.bytes_to_client)
        with httpx.Client(timeout=20) as client:
            result = runtime.sync_now(client, f"http://127.0.0.1:{proxy.port}/repository", manual=True)
        after = (len(proxy.requests), proxy.bytes_from_client, proxy.bytes_to_client)
        full = (after[1] - before[1]) + (after[2] - before[2])
        print(f"a full check without the ETag ({result.status}, what each check cost before): {after[0] - before[0]} "
              f"requests, {full} bytes ({full * CHECKS_PER_DAY / 1000:.1f} kB/day)")
        proxy.close()
        runtime.close()


# Runs inside the namespace: the phone's sync of the new notice, timed.
PHONE = """
import json, sys, time, httpx
from pathlib import Path
from app.runtime import Runtime
runtime = Runtime.open(Path(sys.argv[1]))
with httpx.Client(timeout=httpx.Timeout(60.0)) as client:
    started = time.perf_counter()
    result = runtime.sync_now(client, sys.argv[2], manual=True)
    print(json.dumps({"status": result.status, "seconds": time.perf_counter() - started, "bytes": result.bytes_downloaded}))
runtime.close()
"""


def part_two(folder: Path) -> None:
    from bench.netem import HOST_IP, NAMESPACE, DelayRelay, slow_link

    source, data, home = folder / "content", folder / "server2", folder / "phone2"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    publish(data, source)
    with running_sync_server(data) as base, slow_link("100kbit"):
        relay = DelayRelay(int(base.rsplit(":", 1)[1]), one_way=0.150)
        url = f"http://{HOST_IP}:{relay.port}/repository"

        def phone_sync() -> dict:
            out = subprocess.run(["ip", "netns", "exec", NAMESPACE, sys.executable, "-c", PHONE, str(home), url],
                                 cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                                 env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
            return json.loads(out.stdout.strip().splitlines()[-1])

        first = phone_sync()  # the phone has the server's current version
        assert first["status"] in ("updated", "up_to_date"), first
        write_notice(source)
        publish(data, source)
        notice = phone_sync()
        assert notice["status"] == "updated", notice
        print("link: 100 kbit/s each way (tc tbf), 300 ms round trip (relay)")
        print(f"a new notice: {notice['bytes']:,} bytes down, {notice['seconds']:.1f} s from the check to installed "
              "(on screen at once in every open session)")


def main() -> None:
    print(f"{date.today().isoformat()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        part_one(Path(folder))
        if os.geteuid() == 0:
            part_two(Path(folder))
        else:
            print("part 2 (2G link) needs root for its network namespace: sudo .venv/bin/python bench/bench_background_bytes.py")


if __name__ == "__main__":
    main()
