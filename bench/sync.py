"""Sync benchmark: the real device path (an encrypted site of about ENTRIES audit entries synced
through the services, as ``crf sync`` does, to the server on 127.0.0.1), upload rates of an
in-memory device on loopback (SQLite, PostgreSQL), 20 devices at once, the no-op round, bytes on
the wire per entry, and the no-network ceiling, all measured in the same run.

    .venv/bin/python bench/sync.py [--entries 100000] [--devices 20] [--no-postgres]
        [--workers 1,2] [--site DIR]

``--devices 0`` skips the runs of many devices. With PostgreSQL it also runs the 20 devices
against ``crf-server serve --workers N`` for each N of ``--workers`` (same data, a fresh
database each), printing throughput and per-change-set p50/p95/p99. Every run prints the load
average: the machine may be shared. The file runs the code of its own checkout, so a copy in an
older checkout measures that version's figures (the "before" of a change), back to back.

Targets: >= 5,000 entries/s for one device on SQLite, no-op round <= 50 ms (<= 10 ms for the
real device), 0 errors with 20 devices uploading at once, <= 150 bytes per entry on the wire,
the real device at >= 70 % of the ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Run as a script, this file's folder comes first on sys.path and its name would hide the
# ``sync`` package: drop that folder before importing it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))  # the code of this checkout, whatever is installed

from sync.authorship import Authority, SignerKey, UserSigner, sign_group  # noqa: E402
from sync.changeset import build_changesets, parse_envelope, verify_changeset  # noqa: E402
from sync.client import DeviceIdentity, RetryPolicy, SyncClient, enrol  # noqa: E402
from sync.entries import ENTRY_FIELDS, GENESIS_HASH, entry_hash  # noqa: E402
from sync.server.db import open_database  # noqa: E402
from sync.server.registry import issue_token  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STUDY, SITE = "NCT07553767", "NB02"
ITEMS = ("I.ALT", "I.AST", "I.ALB", "I.TBIL", "I.PLT", "I.INR", "I.HBSAG", "I.HBVDNA", "I.AFP")


#: The site admin of each benchmark device (the key its enrolment binds).
ADMINS: dict[str, UserSigner] = {}
#: A save of a 30-item form is one transaction: one author signature per 30 entries.
SAVE = 30


def _grants(device: str, admin: UserSigner, nurse: UserSigner) -> list[dict[str, Any]]:
    """The chain's first transaction: the site created, its admin and the nurse granted."""
    out, prev = [], GENESIS_HASH
    details = [
        ("site.create", {"study_id": STUDY, "site_code": SITE, "demo": False}),
        ("user.add", {"name": admin.user, "role": "admin", "public_key": admin.public_b64}),
        ("user.add", {"name": nurse.user, "role": "nurse", "public_key": nurse.public_b64}),
    ]
    for seq, (action, detail) in enumerate(details, start=1):
        entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
        entry.update(device=device, seq=seq, ts="2026-11-01T00:00:00.000000Z", user=admin.user)
        entry.update(role="admin", action=action, detail=json.dumps(detail), prev_hash=prev)
        entry["hash"] = prev = entry_hash(entry)
        out.append(entry)
    out[-1]["signature"] = sign_group(admin, out).to_record()
    return out


def make_entries(device: str, count: int) -> list[dict[str, Any]]:
    """Realistic item changes: a nurse entering lab panels visit after visit, 30 values a
    save, each save signed by the nurse, after the grants that make the nurse's key known."""
    admin, nurse = UserSigner.generate("admin"), UserSigner.generate("nurse1")
    ADMINS[device] = admin
    entries = _grants(device, admin, nurse)
    prev = entries[-1]["hash"]
    for seq in range(len(entries) + 1, count + 1):
        n = seq - 1
        entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
        entry.update(
            device=device,
            seq=seq,
            ts=f"2026-11-{1 + n // 40000:02d}T{(n // 3600) % 24:02d}:{(n // 60) % 60:02d}:"
            f"{n % 60:02d}.{n % 1000:03d}000Z",
            user="nurse1",
            role="nurse",
            action="item.set",
            subject=f"{SITE}-{n // 900 + 1:04d}",
            event=f"SE.W{(n // 9) % 100 * 12}",
            event_repeat=1,
            form="F.LAB_CHEM",
            item_group="IG.CHEM",
            group_repeat=1,
            item=ITEMS[n % len(ITEMS)],
            new=f"{(seq * 7919) % 1000 / 10:.1f}",
            unit="U/L",
            base_rev=0,
            prev_hash=prev,
        )
        entry["hash"] = prev = entry_hash(entry)
        entries.append(entry)
    for start in range(3, len(entries), SAVE):
        group = entries[start : start + SAVE]
        group[-1]["signature"] = sign_group(nurse, group).to_record()
    return entries


class BenchStore:
    """The client's store interface over a list (the device side, in memory)."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries, self.ack, self.cursor = entries, 0, 0

    def acknowledged_seq(self) -> int:
        return self.ack

    def pending_entries(self, after_seq: int, limit: int) -> Sequence[Mapping[str, Any]]:
        end = after_seq + limit  # as the app's store does: never inside a signed group
        while end < len(self.entries) and "signature" not in self.entries[end - 1]:
            end += 1
        return self.entries[after_seq:end]

    def entry_hash(self, seq: int) -> str | None:
        return self.entries[seq - 1]["hash"] if 0 < seq <= len(self.entries) else None

    def record_receipt(self, receipt: Mapping[str, Any]) -> None:
        self.ack = max(self.ack, int(receipt["seq_to"]))

    def quarantine(self, changeset: Any, code: str, reason: str) -> None:
        raise RuntimeError(f"refused: {code} {reason}")

    def pull_cursor(self) -> int:
        return self.cursor

    def apply_pulled(self, records: Sequence[Mapping[str, Any]], cursor: int) -> None:
        self.cursor = cursor

    def set_aside_unreported(self) -> Sequence[Mapping[str, Any]]:
        return []

    def set_aside_reported(self, ids: Sequence[int]) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: The process of each server ``server_process`` runs, by its address (for its CPU time).
SERVER_PIDS: dict[str, int] = {}


def cpu_seconds(pid: int) -> float:
    """A process's CPU time (user + system) so far; NaN where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server_process(data: Path, database: str | None, workers: int = 1) -> Iterator[str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "sync.server.cli",
        "serve",
        "--data",
        str(data),
        "--port",
        str(port),
    ]
    if database:
        cmd += ["--database", database]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    SERVER_PIDS[url] = proc.pid
    try:
        for _ in range(600):
            with suppress(httpx.HTTPError):
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(20)


@contextmanager
def postgres(folder: Path) -> Iterator[str | None]:
    script = ROOT / "scripts" / "postgres.sh"
    done = subprocess.run(
        ["bash", str(script), "start", str(folder), str(free_port())],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"PostgreSQL unavailable: {done.stderr.strip()}")
        yield None
        return
    try:
        yield done.stdout.strip()
    finally:
        subprocess.run(["bash", str(script), "stop", str(folder)], check=False)


class WireMeter:
    """httpx event hooks: bytes of each request as sent, and each change set's latency."""

    def __init__(self) -> None:
        self.bytes = 0
        self.latencies: list[float] = []
        self.errors = 0
        self._lock = threading.Lock()

    def hooks(self) -> dict[str, list[Any]]:
        return {"request": [self._on_request], "response": [self._on_response]}

    def _on_request(self, request: httpx.Request) -> None:
        head = len(request.method) + len(request.url.raw_path) + 12
        head += sum(len(k) + len(v) + 4 for k, v in request.headers.raw)
        request.extensions["t0"] = time.perf_counter()
        with self._lock:
            self.bytes += head + len(request.content)

    def _on_response(self, response: httpx.Response) -> None:
        elapsed = time.perf_counter() - response.request.extensions["t0"]
        with self._lock:
            if response.request.method == "PUT":
                self.latencies.append(elapsed)
            if response.status_code >= 400:
                self.errors += 1


def enrol_devices(
    url: str, db_url: str | None, data: Path, names: list[str]
) -> list[DeviceIdentity]:
    db = open_database(db_url, data)
    identities = []
    try:
        for name in names:
            key = Ed25519PrivateKey.generate()
            token = issue_token(db, SITE, ttl=timedelta(hours=1))
            admin = ADMINS[name]
            enrol(url, token=token, device=name, study=STUDY, private_key=key, admin=admin,
                  root=(admin.user, admin.public_key))  # fmt: skip
            identities.append(DeviceIdentity(name, STUDY, SITE, key))
    finally:
        db.close()
    return identities


def upload(url: str, identity: DeviceIdentity, store: BenchStore, meter: WireMeter) -> float:
    http = httpx.Client(base_url=url, timeout=120, event_hooks=meter.hooks())
    retry = RetryPolicy(attempts=5, base=0.1)
    start = time.perf_counter()
    with SyncClient(url, identity, http=http, retry=retry) as client:
        client.upload(store)
    http.close()
    return time.perf_counter() - start


def run_backend(label: str, db_url: str | None, entries: int, devices: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        with server_process(data, db_url) as url:
            store = BenchStore(make_entries("bench-one", entries))
            (one,) = enrol_devices(url, db_url, data, ["bench-one"])
            meter = WireMeter()
            seconds = upload(url, one, store, meter)
            assert store.ack == entries, "not every entry was acknowledged"
            rate = entries / seconds
            wire = meter.bytes / entries
            noop = noop_round(url, one, store)
            many_figures = (
                many_devices(url, db_url, data, entries, devices)
                if devices
                else {"rate": float("nan"), "p99_ms": float("nan"), "errors": 0}
            )
    return {
        "backend": label,
        "one_device_rate": rate,
        "bytes_per_entry": wire,
        "noop_ms": noop,
        "devices": devices,
        "aggregate_rate": many_figures["rate"],
        "p99_ms": many_figures["p99_ms"],
        "errors": many_figures["errors"],
    }


def many_devices(
    url: str, db_url: str | None, data: Path, entries: int, devices: int
) -> dict[str, Any]:
    """``devices`` devices upload ``entries`` entries between them, all at once."""
    per = max(1, entries // devices)
    names = [f"many-{i:02d}" for i in range(devices)]
    stores = [BenchStore(make_entries(name, per)) for name in names]  # each with its admin
    many = enrol_devices(url, db_url, data, names)
    meter = WireMeter()
    threads = [
        threading.Thread(target=upload, args=(url, d, s, meter))
        for d, s in zip(many, stores, strict=True)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    done = sum(s.ack for s in stores)
    lat = sorted(meter.latencies)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(len(lat) * q))] * 1000 if lat else float("nan")

    return {
        "rate": done / seconds,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": meter.errors + (devices * per - done),
    }


def run_workers(db_url: str, entries: int, devices: int, workers: int) -> dict[str, Any]:
    """20 devices against ``crf-server serve --workers N`` on a fresh PostgreSQL database."""
    import psycopg

    name = f"bench_w{workers}_{os.getpid()}"
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    fresh = db_url.rsplit("/", 1)[0] + "/" + name
    with tempfile.TemporaryDirectory() as tmp, server_process(Path(tmp), fresh, workers) as url:
        figures = many_devices(url, fresh, Path(tmp), entries, devices)
    return {"workers": workers, **figures}


def qlq_answers(seed: int) -> list[Any]:
    """A transcribed QLQ-C30: its date, language and wording, and the 30 answers."""
    from desktop_crf.services.data_entry import ItemInput
    from desktop_crf.studies import load_form

    rng, form = random.Random(seed), load_form("F.QLQC30")
    admin = {"I.QLQ_DATE": "2026-01-01", "I.QLQ_LANG": "en", "I.QLQ_OFFICIAL": "Y"}
    items = [ItemInput(form.group_of(oid).oid, oid, value) for oid, value in admin.items()]
    for item in form.items().values():
        if item.oid not in admin and item.choices:  # the scores are computed, never typed
            items.append(
                ItemInput(form.group_of(item.oid).oid, item.oid, rng.choice(item.choices).code)
            )
    return items


def make_site(root: Path, entries: int) -> Path:
    """An encrypted site whose nurse saved QLQ-C30 forms through the services until its
    trail holds about ``entries`` entries (as ``bench.store`` fills its sites)."""
    from desktop_crf.model import FormKey
    from desktop_crf.services import site
    from desktop_crf.services.data_entry import save_form
    from desktop_crf.services.subjects import screen_subject

    site.init_site(root, study_id="BENCH", site_code="B1", admin="admin", admin_password=PASSWORD)
    admin = site.unlock(root, "admin", PASSWORD)
    site.add_user(admin, "nurse", role="nurse", password=PASSWORD, admin_password=PASSWORD)
    site.logout(admin)
    nurse = site.unlock(root, "nurse", PASSWORD)
    nurse.db.execute("PRAGMA synchronous = OFF")  # filling only; every sync write is FULL
    subject = 0
    while nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0] < entries:
        sid = f"B1-{subject:05d}"
        screen_subject(nurse, study_version="1.0", screened_on="2026-01-01", subject_id=sid)
        for visit in range(20):
            key = FormKey(sid, f"SE.V{visit:02d}", "F.QLQC30")
            save_form(
                nurse,
                key,
                qlq_answers(subject * 1000 + visit),
                complete=True,
                reason="transcribed from the paper questionnaire",
            )
        subject += 1
    site.logout(nurse)
    return root


PASSWORD = "bench-password-1"


def real_device(entries: int, built: Path | None = None) -> dict[str, Any]:
    """The app's path: an encrypted site synced through the services (``crf sync``'s
    ``sync_now``) to the real server on 127.0.0.1 (SQLite): upload rate and no-op round.

    ``built``: a folder that keeps the filled site between runs (filled on the first run, then
    copied for each run, never synced itself)."""
    from desktop_crf.services import site
    from desktop_crf.services import sync as sync_service

    with tempfile.TemporaryDirectory() as tmp:
        data, root = Path(tmp) / "server", Path(tmp) / "site"
        if built is None:
            make_site(root, entries)
        else:
            if not (built / "site.db").exists():
                make_site(built, entries)
            shutil.copytree(built, root)
        data.mkdir()
        with server_process(data, None) as url:
            db = open_database(None, data)
            token = issue_token(db, "B1", ttl=timedelta(hours=1))
            db.close()
            nurse = site.unlock(root, "nurse", PASSWORD)
            admin = site.unlock(root, "admin", PASSWORD)
            sync_service.enroll_device(admin, server_url=url, token=token)
            site.logout(admin)
            count = nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0]
            server_cpu, device_cpu = cpu_seconds(SERVER_PIDS[url]), time.process_time()
            start = time.perf_counter()
            result = sync_service.sync_now(nurse)
            seconds = time.perf_counter() - start
            device_cpu = time.process_time() - device_cpu
            server_cpu = cpu_seconds(SERVER_PIDS[url]) - server_cpu
            assert result.uploaded_entries == count, (result, count)
            noops = []
            for _ in range(30):
                start = time.perf_counter()
                assert sync_service.sync_now(nurse).uploaded_entries == 0
                noops.append(time.perf_counter() - start)
            site.logout(nurse)
    return {
        "entries": count,
        "rate": count / seconds,
        "noop_ms": statistics.median(noops) * 1000,
        "device_us": device_cpu / count * 1e6,
        "server_us": server_cpu / count * 1e6,
    }


def noop_round(url: str, identity: DeviceIdentity, store: BenchStore, rounds: int = 30) -> float:
    times = []
    with SyncClient(url, identity) as client:
        client.sync_round(store)
        for _ in range(rounds):
            start = time.perf_counter()
            result = client.sync_round(store)
            times.append(time.perf_counter() - start)
            assert result.uploaded_entries == 0
    return statistics.median(times) * 1000


def ceiling(entries: int) -> dict[str, float]:
    """No network: build + sign, verify, and plain SQLite inserts of the same entries."""
    data = make_entries("ceiling", entries)
    key = Ed25519PrivateKey.generate()
    start = time.perf_counter()
    sets = build_changesets(data, study=STUDY, site=SITE, private_key=key, created_at="now")
    signed_at = time.perf_counter()
    for signed in sets:
        obj, signature = parse_envelope(signed.envelope())
        verify_changeset(obj, signature, key.public_key())
    verified_at = time.perf_counter()
    nurse = UserSigner.generate("nurse1")
    sign_start = time.perf_counter()
    signatures = [sign_group(nurse, data[i : i + SAVE]) for i in range(0, len(data), SAVE)]
    sign_end = time.perf_counter()
    authority = Authority("ceiling", central=True)
    authority.keys[nurse.key_id] = SignerKey(
        nurse.key_id, nurse.public_key, "nurse1", "nurse", "ceiling"
    )
    authority.signed_yet = True
    plain = [{**e, "user": "nurse1", "role": "nurse"} for e in data]
    check_start = time.perf_counter()
    for sig in signatures:
        authority.admit_group(plain[sig.seq_from - 1 : sig.seq_to], sig)
    check_end = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "c.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        cols = (*ENTRY_FIELDS, "hash")
        conn.execute(f"CREATE TABLE audit ({', '.join(cols)}, PRIMARY KEY (device, seq))")
        insert = f"INSERT INTO audit VALUES ({', '.join('?' * len(cols))})"
        begin = time.perf_counter()
        for signed in sets:
            conn.execute("BEGIN")
            conn.executemany(insert, [[e[c] for c in cols] for e in signed.changeset.entries])
            conn.execute("COMMIT")
        inserted_at = time.perf_counter()
        conn.close()
    return {
        "build_sign": entries / (signed_at - start),
        "verify": entries / (verified_at - signed_at),
        "sqlite_insert": entries / (inserted_at - begin),
        "all": entries / ((verified_at - start) + (inserted_at - begin)),
        "author_sign_us": (sign_end - sign_start) / entries * 1e6,
        "author_check_us": (check_end - check_start) / entries * 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (PostgreSQL)")
    parser.add_argument(
        "--site", type=Path, help="keep the real device's filled site in this folder (reused)"
    )
    args = parser.parse_args()
    worker_counts = [int(n) for n in args.workers.split(",") if n]
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    os.environ.setdefault("CRF_SERVER_ADMIN_TOKEN", "bench")
    print(f"sync benchmark: {args.entries} entries, {os.cpu_count()} CPUs")
    top = ceiling(args.entries)
    print(
        f"ceiling (no network): build+sign {top['build_sign']:,.0f}/s, verify "
        f"{top['verify']:,.0f}/s, SQLite insert {top['sqlite_insert']:,.0f}/s, "
        f"all three {top['all']:,.0f} entries/s"
    )
    print(
        f"authors' signatures (one per {SAVE}-entry save): signing {top['author_sign_us']:.1f} "
        f"µs/entry, checking {top['author_check_us']:.1f} µs/entry (the server's check)"
    )
    real = real_device(args.entries, args.site)
    print(
        f"real device (encrypted site, services, server on 127.0.0.1, SQLite): {real['entries']:,} "
        f"entries at {real['rate']:,.0f} entries/s ({real['rate'] / top['all']:.0%} of the "
        f"ceiling); no-op round {real['noop_ms']:.1f} ms; CPU per entry: device "
        f"{real['device_us']:.0f} µs, server {real['server_us']:.0f} µs",
        flush=True,
    )
    results = [run_backend("SQLite", None, args.entries, args.devices)]
    scaled: list[dict[str, Any]] = []
    if not args.no_postgres:
        with tempfile.TemporaryDirectory() as tmp, postgres(Path(tmp) / "pg") as url:
            if url:
                results.append(run_backend("PostgreSQL", url, args.entries, args.devices))
                scaled = [run_workers(url, args.entries, args.devices, n) for n in worker_counts]
    for r in results:
        print(
            f"{r['backend']}: one device {r['one_device_rate']:,.0f} entries/s "
            f"({r['one_device_rate'] / top['all']:.0%} of the ceiling); "
            f"{r['bytes_per_entry']:.1f} bytes/entry on the wire; no-op round "
            f"{r['noop_ms']:.1f} ms; {r['devices']} devices at once {r['aggregate_rate']:,.0f} "
            f"entries/s, p99 {r['p99_ms']:.0f} ms per change set, {r['errors']} errors"
        )
    for w in scaled:
        print(
            f"PostgreSQL, {args.devices} devices, --workers {w['workers']}: "
            f"{w['rate']:,.0f} entries/s; per change set p50 {w['p50_ms']:.0f} ms, "
            f"p95 {w['p95_ms']:.0f} ms, p99 {w['p99_ms']:.0f} ms; {w['errors']} errors"
        )
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    sqlite = results[0]
    checks = {
        ">= 5,000 entries/s (SQLite, one device)": sqlite["one_device_rate"] >= 5000,
        "no-op round <= 50 ms": all(r["noop_ms"] <= 50 for r in results),
        "real device >= 70% of the ceiling": real["rate"] >= 0.7 * top["all"],
        "no-op round of the real device <= 10 ms": real["noop_ms"] <= 10,
        "0 errors with 20 devices": all(r["errors"] == 0 for r in results),
        "<= 150 bytes/entry": all(r["bytes_per_entry"] <= 150 for r in results),
    }
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'MISS'}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
