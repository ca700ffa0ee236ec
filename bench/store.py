"""Store benchmark: save, load and verify on a large site, encrypted vs plain SQLite.

    python -m bench.store [--subjects 1000] [--visits 20] [--items 30] [--saves 200]

Builds two sites of SUBJECTS × VISITS forms of ITEMS values each (with as many audit entries),
one encrypted with SQLCipher and one plain SQLite file opened through the same code, then
measures on each: saving one ITEMS-item form (synchronous=FULL, p50/p95 over SAVES saves),
loading one subject's whole record, and verifying the audit trail: the hash chains alone (in
parts at once, one per processor, as ``verify-audit`` checks a long chain; in one process; and
the general verifier over the same rows, the baseline), the chains with the authors' signatures
(every save is signed by the nurse: the signatures' cost is printed apart, per entry and per
signature), and ``verify-audit`` as a person runs it. Prints the figures and the
encrypted/plain ratios. Population runs with synchronous=OFF to save time; every measured save
runs with the production setting (FULL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desktop_crf.model import FormKey, SiteInfo
from desktop_crf.services.data_entry import ItemInput, load_subject, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.site import verify_audit
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import Actor, AuditWriter, utc_now, verify_chain
from desktop_crf.store.chain import DatabaseSource, verify_device_chain
from desktop_crf.store.database import transaction
from desktop_crf.store.site import create_database
from desktop_crf.store.site_paths import SitePaths
from desktop_crf.studies import load_form
from sync.authorship import UserSigner
from sync.entries import SORTED_FIELDS, find_chain_break_rows


def make_session(root: Path, *, encrypted: bool) -> Session:
    """A site whose first transaction grants the admin's and the nurse's keys (as creating a
    site and adding a user do), and the nurse's session, which signs every save."""
    paths = SitePaths(root)
    key = secrets.token_bytes(32) if encrypted else None
    db = create_database(paths, key)
    repo.set_meta(db, study_id="BENCH", site_code="B1", device="B1-000001", demo="0")
    repo.insert_user(db, repo.UserRow("nurse", "nurse", "Bench Nurse", True), utc_now())
    admin, nurse = UserSigner.generate("admin"), UserSigner.generate("nurse")
    with transaction(db):
        audit = AuditWriter(db, Actor("admin", "admin", "B1-000001"), signer=admin)
        audit.append("site.create", detail=json.dumps({"study_id": "BENCH", "site_code": "B1"}))
        for who, role in ((admin, "admin"), (nurse, "nurse")):
            detail = {"name": who.user, "role": role, "public_key": who.public_b64}
            audit.append("user.add", detail=json.dumps(detail))
        audit.seal()
    site = SiteInfo("BENCH", "B1", "B1-000001", demo=False)
    session = Session(paths, site, "nurse", "nurse", "Bench Nurse", db, signer=nurse)
    session.data_key = key
    return session


#: The bundled form the benchmark fills: the QLQ-C30 (3 administrative items, 30 questions),
#: so that every save goes through the same checks as a nurse's.
BENCH_FORM = "F.QLQC30"
ADMIN = {"I.QLQ_DATE": "2026-01-01", "I.QLQ_LANG": "en", "I.QLQ_OFFICIAL": "Y"}
#: Staff entering a patient's answers give a reason (the questionnaire is the patient's own):
#: the nurse transcribes the paper questionnaire, as sites do.
REASON = "transcribed from the paper questionnaire"


def form_items(n_items: int, seed: int) -> list[ItemInput]:
    """``n_items`` values of the benchmark form (at most its 33 items), all valid."""
    rng = random.Random(seed)
    form = load_form(BENCH_FORM)
    items = [ItemInput(form.group_of(oid).oid, oid, value) for oid, value in ADMIN.items()]
    # The questions: the stored scores (no choices) are computed by the service, never typed.
    questions = [i for i in form.items().values() if i.oid not in ADMIN and i.choices]
    for item in questions[: max(n_items - len(items), 0)]:
        code = rng.choice(item.choices).code
        items.append(ItemInput(form.group_of(item.oid).oid, item.oid, code))
    return items[:n_items]


def populate(session: Session, subjects: int, visits: int, items: int) -> list[str]:
    session.db.execute("PRAGMA synchronous = OFF")
    ids = []
    for s in range(subjects):
        subject_id = f"B1-{s:05d}"
        screen_subject(
            session, study_version="1.0", screened_on="2026-01-01", subject_id=subject_id
        )
        for v in range(visits):
            key = FormKey(subject_id, f"SE.V{v:02d}", BENCH_FORM)
            save_form(session, key, form_items(items, s * 1000 + v), complete=True, reason=REASON)
        ids.append(subject_id)
    session.db.execute("PRAGMA synchronous = FULL")
    return ids


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def general_rows(session: Session, device: str) -> Iterator[tuple[Any, ...]]:
    """A device's entries as the general verifier reads them (values in canonical order)."""
    columns = ", ".join(f'"{name}"' for name in SORTED_FIELDS)
    cursor = session.db.execute(
        f"SELECT {columns}, hash FROM audit WHERE device = ? ORDER BY seq", [device]
    )
    while rows := cursor.fetchmany(5000):
        yield from rows


def measure(session: Session, ids: list[str], *, items: int, saves: int) -> dict[str, float]:
    rng = random.Random(7)
    counter = iter(range(10**9))

    def one_save() -> None:
        n = next(counter)
        key = FormKey(rng.choice(ids), f"SE.EXTRA{n:05d}", BENCH_FORM)
        save_form(session, key, form_items(items, n), complete=True, reason=REASON)

    save_ms = timed(one_save, saves)
    load_ms = timed(lambda: load_subject(session, rng.choice(ids)), 100)
    entries = session.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    # The hash chains alone (every device's), then the whole check a person runs (verify-audit:
    # the chains and whatever else the site's trail carries, e.g. its authors' signatures).
    # A long chain is checked in parts at once, one per processor (as verify-audit does); the
    # same chains in one process beside it.
    source = DatabaseSource(session.paths.database, session.data_key)
    devices = [r[0] for r in session.db.execute("SELECT DISTINCT device FROM audit")]
    start = time.perf_counter()
    for device in devices:
        assert verify_device_chain(session.db, device, source=source)[1] is None
    chain_s = time.perf_counter() - start
    start = time.perf_counter()
    for device in devices:
        assert verify_device_chain(session.db, device)[1] is None
    one_process_s = time.perf_counter() - start
    # The baseline in the same run: the general verifier, Python writing every entry's bytes.
    start = time.perf_counter()
    for device in devices:
        assert find_chain_break_rows(general_rows(session, device))[1] is None
    general_s = time.perf_counter() - start
    start = time.perf_counter()
    # The chains and the authors' signatures (what verify-audit checks of the trail).
    start = time.perf_counter()
    chains = verify_chain(session.db, source=source)
    signed_s = time.perf_counter() - start
    assert chains.ok, chains
    assert chains.signed == chains.count, chains  # every entry covered by its author
    signatures = session.db.execute("SELECT count(*) FROM audit_signatures").fetchone()[0]
    start = time.perf_counter()
    report = verify_audit(session)
    verify_s = time.perf_counter() - start
    assert report.ok, report
    authors_s = max(signed_s - chain_s, 0.0)
    return {
        "save_p50": pct(save_ms, 50),
        "save_p95": pct(save_ms, 95),
        "load_p50": pct(load_ms, 50),
        "load_p95": pct(load_ms, 95),
        "entries": entries,
        "chain_rate": entries / chain_s,
        "one_process_rate": entries / one_process_s,
        "general_rate": entries / general_s,
        "signed_rate": entries / signed_s,
        "sig_us_entry": authors_s / entries * 1e6,
        "sig_us_sig": authors_s / signatures * 1e6 if signatures else float("nan"),
        "signatures": signatures,
        "verify_rate": entries / verify_s,
        "verify_s": verify_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument(
        "--encrypted-only", action="store_true", help="build only the SQLCipher site (no ratios)"
    )
    args = parser.parse_args()
    results = {}
    kinds = [("sqlcipher", True)] + ([] if args.encrypted_only else [("plain", False)])
    with tempfile.TemporaryDirectory() as tmp:
        for label, encrypted in kinds:
            session = make_session(Path(tmp) / label, encrypted=encrypted)
            start = time.perf_counter()
            ids = populate(session, args.subjects, args.visits, args.items)
            built = time.perf_counter() - start
            values = args.subjects * args.visits * args.items
            print(f"[{label}] built {values:,} item values in {built:.0f} s", flush=True)
            results[label] = measure(session, ids, items=args.items, saves=args.saves)
            session.close()
    enc = results["sqlcipher"]
    plain = results.get("plain", dict.fromkeys(enc, float("nan")))
    print()
    print(f"site: {args.subjects} subjects × {args.visits} visits × {args.items} items")
    print(f"{'':28}{'SQLCipher':>12}{'plain':>12}{'ratio':>8}")
    rows = [
        ("save 30-item form p50 (ms)", "save_p50"),
        ("save 30-item form p95 (ms)", "save_p95"),
        ("load subject p50 (ms)", "load_p50"),
        ("load subject p95 (ms)", "load_p95"),
        ("hash chains (entries/s)", "chain_rate"),
        ("  in one process (/s)", "one_process_rate"),
        ("  general verifier (/s)", "general_rate"),
        ("chains + authors (/s)", "signed_rate"),
        ("  signatures (µs/entry)", "sig_us_entry"),
        ("  signatures (µs/sig)", "sig_us_sig"),
        ("verify-audit (entries/s)", "verify_rate"),
        ("verify-audit (s)", "verify_s"),
    ]
    for title, key in rows:
        ratio = enc[key] / plain[key] if plain[key] == plain[key] and plain[key] else float("nan")
        print(f"{title:28}{enc[key]:>12,.1f}{plain[key]:>12,.1f}{ratio:>8.2f}")
    print(f"audit entries verified: {enc['entries']:,} ({enc['signatures']:,} signatures)")
    print(f"full verification of the site: {enc['verify_s']:.1f} s")
    print("load average: {:.2f} {:.2f} {:.2f} (the machine may be shared)".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
