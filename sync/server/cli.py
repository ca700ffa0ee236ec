"""``crf-server``: serve, migrate the database's schema, issue an enrolment token, revoke a
device, verify the ledger, write the study report, export the whole study's data (ODM or CSV),
and open, close, reopen or list a site's queries (for monitors).

``token``, ``revoke``, ``verify``, ``report``, ``export`` and ``query`` work on the database
directly, so they need no running server and can be run on the server machine by its
administrator.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import secrets
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from sync.protocol import parse_version
from sync.queries import STATUSES, Query
from sync.server.db import Database, DatabaseUnavailable, open_database
from sync.server.errors import ApiError
from sync.server.feed import verify_ledger
from sync.server.migrations import SchemaTooNew, applied_migrations, migrate, pending_migrations
from sync.server.queries import (
    QueryRequest,
    close_query,
    list_queries,
    open_query,
    reopen_query,
)
from sync.server.registry import (
    MAX_TOKEN_LIFETIME,
    issue_token,
    revoke,
    site_exists,
    utc_now,
)
from sync.server.settings import ServerSettings
from sync.server.signers import issue_monitor_token, list_signers, revoke_user


def _open(args: argparse.Namespace) -> Database:
    return open_database(args.database, Path(args.data))


def admin_token(data_dir: Path) -> str:
    """Return the monitors' admin token kept in ``data_dir/admin-token``, creating it once."""
    path = data_dir / "admin-token"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


def log_to(file: Path | None, level: str) -> None:
    """The server's log: standard error, and ``file`` when given (rotated). Records say what
    the server did (sets stored or refused with their code, failures with their stack),
    never the entries' values."""
    logger = logging.getLogger("sync")
    logger.setLevel(level.upper())
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                file, maxBytes=10_000_000, backupCount=5, encoding="utf-8"
            )
        )
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)


def is_postgres(database: str | None) -> bool:
    return bool(database) and str(database).startswith(("postgresql://", "postgres://"))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.server.app import create_app

    data = Path(args.data)
    token = os.environ.get("CRF_SERVER_ADMIN_TOKEN") or admin_token(data)
    # Given on the command line, else from CRF_SERVER_*_APP_VERSION (read by the settings).
    versions = {
        name: value
        for name in ("min_app_version", "recommended_app_version")
        if (value := getattr(args, name)) is not None
    }
    workers = args.workers
    if workers > 1 and not is_postgres(args.database):
        print(
            f"crf-server: SQLite is served by one process (a SQLite file has one writer); "
            f"--workers {workers} ignored. Use --database postgresql://… to run several.",
            file=sys.stderr,
            flush=True,
        )
        workers = 1
    where = f"http://{args.host}:{args.port}"
    if workers == 1:
        settings = ServerSettings(
            data_dir=data,
            database=args.database,
            admin_token=token,
            pool_size=args.pool_size,
            **versions,
        )
        app = create_app(settings)
        log_to(args.log_file, args.log_level)
        print(f"crf-server: serving on {where} (data in {data})", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
        return 0
    # Migrate once here, so that the workers start on an up-to-date schema.
    open_database(args.database, data, pool_size=1).close()
    os.environ.update(
        CRF_SERVER_DATA_DIR=str(data),
        CRF_SERVER_DATABASE=str(args.database),
        CRF_SERVER_ADMIN_TOKEN=token,
        CRF_SERVER_POOL_SIZE=str(args.pool_size),
        CRF_SERVER_LOG_LEVEL=args.log_level,
        CRF_SERVER_LOG_FILE=str(args.log_file or ""),
        # Each worker reads its settings from the environment: the versions too.
        **{f"CRF_SERVER_{name.upper()}": value for name, value in versions.items()},
    )
    print(f"crf-server: serving on {where} with {workers} workers (PostgreSQL)", flush=True)
    uvicorn.run(
        "sync.server.app:app_from_environment",
        factory=True,
        workers=workers,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    db = open_database(args.database, Path(args.data), migrate=False)
    try:
        if args.check:
            pending = pending_migrations(db)
            for migration in pending:
                print(f"pending {migration.label}")
            if pending:
                print(
                    f"crf-server: {len(pending)} migration(s) to apply: run crf-server migrate",
                    file=sys.stderr,
                )
                return 1
        else:
            for migration in migrate(db):
                print(f"applied {migration.label}", flush=True)
        applied = applied_migrations(db)
    finally:
        db.close()
    if applied:
        number, name, at = applied[-1]
        print(f"schema at {number:04d}_{name} (applied {at})")
    else:
        print("schema: no migration applied yet")
    return 0


def _token_lifetime(args: argparse.Namespace) -> timedelta | None:
    """The lifetime ``--hours`` asks for, or None (said on stderr) if no token may have it."""
    ttl = timedelta(hours=args.hours)
    if not timedelta(0) < ttl <= MAX_TOKEN_LIFETIME:
        print("crf-server: a token is valid for more than 0 and at most 720 hours", file=sys.stderr)
        return None
    return ttl


def cmd_token(args: argparse.Namespace) -> int:
    ttl = _token_lifetime(args)
    if ttl is None:
        return 2
    db = _open(args)
    try:
        token = issue_token(db, args.site, ttl=ttl, unsigned_history=args.unsigned_history)
    except ValueError as exc:
        print(f"crf-server: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    print(token)
    return 0


def cmd_monitor_token(args: argparse.Namespace) -> int:
    ttl = _token_lifetime(args)
    if ttl is None:
        return 2
    db = _open(args)
    try:
        token = issue_monitor_token(db, args.site, args.user, ttl=ttl, now=utc_now())
    except KeyError:
        print(f"crf-server: the server knows no site {args.site}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(token)
    return 0


def cmd_revoke_user(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        count = revoke_user(db, args.site, args.user, now=utc_now())
    finally:
        db.close()
    if not count:
        print(f"crf-server: {args.user} has no active key at site {args.site}", file=sys.stderr)
        return 1
    print(f"{count} key(s) of {args.user} at site {args.site} revoked")
    return 0


def cmd_signers(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        rows = list_signers(db, args.site)
    finally:
        db.close()
    for row in rows:
        bound = " bound" if row["monitor_bound"] else ""
        print(
            f"{row['device']}  {row['user']}  {row['role']}  {row['status']}{bound}  "
            f"({row['source']})  {row['key_id'][:16]}"
        )
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        device = revoke(db, args.device)
    except KeyError:
        print(f"crf-server: no device {args.device} is enrolled", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"device {device.device} of site {device.site} is revoked since {device.revoked_at}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        check = verify_ledger(db)
    finally:
        db.close()
    for device in check.devices:
        state = device.problem or "ok"
        print(
            f"{device.site} {device.device}: {device.changesets} change sets, "
            f"{device.entries} entries: {state}"
        )
    if check.problem:
        print(f"crf-server: verification failed: {check.problem}", file=sys.stderr)
        return 1
    print(f"verified {len(check.devices)} devices")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from sync.server.report import DefinitionsNotFound, write_report

    if args.database is None and not (Path(args.data) / "server.sqlite3").exists():
        print(f"crf-server: no server data in {args.data}", file=sys.stderr)
        return 2
    db = _open(args)
    now = datetime.now().astimezone()
    try:
        summary = write_report(
            db, args.study, Path(args.out), today=now.date(), now=now, definitions=args.definitions
        )
    except DefinitionsNotFound as exc:
        print(f"crf-server: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    print(
        f"study report of {args.study} ({summary.subjects} subjects, "
        f"{summary.enrolment.enrolled} enrolled) written to {args.out}"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from odm.document import UnwritableValue
    from sync.server.exports import NothingToExport, SubjectAtTwoSites, export_study
    from sync.server.report import DefinitionsNotFound

    if args.database is None and not (Path(args.data) / "server.sqlite3").exists():
        print(f"crf-server: no server data in {args.data}", file=sys.stderr)
        return 2
    if args.transactional and args.format != "odm":
        print("crf-server: --transactional is a kind of ODM file: export odm", file=sys.stderr)
        return 2
    kind = "odm-transactional" if args.transactional else args.format
    db = _open(args)
    try:
        done = export_study(db, args.study, Path(args.out), kind=kind, definitions=args.definitions)
    except (DefinitionsNotFound, NothingToExport) as exc:
        print(f"crf-server: {exc}", file=sys.stderr)
        return 2
    except SubjectAtTwoSites as exc:
        print(f"crf-server: {exc}", file=sys.stderr)
        return 1
    except UnwritableValue as exc:
        print(f"crf-server: nothing was exported: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"crf-server: {args.out} could not be written: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
    finally:
        db.close()
    entries = f" with {done.entries} audit entries" if args.transactional else ""
    print(
        f"Wrote {done.subjects} subjects of {len(done.sites)} sites ({', '.join(done.sites)})"
        f"{entries} to {done.path} (SHA-256 {done.sha256})"
    )
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        if args.action == "list":
            for listed in list_queries(db, args.site, status=args.status):
                print(describe_query(listed))
            return 0
        if args.action == "open":
            try:
                request = QueryRequest(
                    subject=args.subject,
                    event=args.event,
                    event_repeat=args.event_repeat,
                    form=args.form,
                    item_group=args.item_group,
                    group_repeat=args.group_repeat,
                    item=args.item,
                    text=args.text,
                    opened_by=args.by,
                )
            except ValidationError as exc:
                message = exc.errors()[0]["msg"].removeprefix("Value error, ")
                print(f"crf-server: {message}", file=sys.stderr)
                return 2
            if not site_exists(db, args.site):
                print(f"crf-server: the server knows no site {args.site}", file=sys.stderr)
                return 1
            query = open_query(db, args.site, request.target(), text=args.text, opened_by=args.by)
        else:
            move = close_query if args.action == "close" else reopen_query
            query = move(db, args.site, args.query_id, text=args.text, by=args.by)
    except ApiError as exc:
        print(f"crf-server: {exc.message}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(describe_query(query))
    return 0


def describe_query(query: Query) -> str:
    """One query as lines a monitor reads: id, state, where, the question and the answers."""
    place = (query.subject, query.event, query.form, query.item)
    where = " ".join(str(p) for p in place if p is not None)
    lines = [f"#{query.id} {query.status} ({query.kind}) {where}: {query.text}"]
    for answer in query.answers:
        lines.append(f"    answer by {answer.by} at {answer.at}: {answer.text}")
    if query.close_text:
        lines.append(f"    closed by {query.closed_by}: {query.close_text}")
    return "\n".join(lines)


def _add_query(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    query = sub.add_parser(
        "query",
        help="open, close, reopen or list a site's queries (monitors)",
        description="A monitor's queries on a site's data; they reach the site's devices when "
        "they next sync, and the site's answers come back the same way.",
    )
    actions = query.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = actions.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("--data", default="crf-server-data", help="server data folder")
        cmd.add_argument("--database", default=None, help="postgresql://… (default: SQLite)")
        cmd.add_argument("--site", required=True, help="site code")
        cmd.set_defaults(handler=cmd_query)
        return cmd

    listing = action("list", "list the site's queries with their answers")
    listing.add_argument("--status", choices=STATUSES)
    opening = action("open", "open a query on a subject, or on one of its items")
    opening.add_argument("--subject", required=True)
    for name in ("--event", "--form", "--item-group", "--item"):
        opening.add_argument(name)
    opening.add_argument("--event-repeat", type=int)
    opening.add_argument("--group-repeat", type=int)
    for name, help_text in (
        ("close", "close an open or answered query"),
        ("reopen", "reopen an answered or closed query"),
    ):
        move = action(name, help_text)
        move.add_argument("query_id", type=int, metavar="QUERY_ID")
    for name in ("open", "close", "reopen"):
        cmd = actions.choices[name]
        cmd.add_argument("--text", required=True, help="what the monitor says")
        cmd.add_argument("--by", required=True, help="the monitor's name")


def _version(text: str) -> str:
    try:
        parse_version(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crf-server", description="desktop-crf central server")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("--data", default="crf-server-data", help="server data folder")
        cmd.add_argument("--database", default=None, help="postgresql://… (default: SQLite)")
        return cmd

    serve = add("serve", "run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (PostgreSQL only; SQLite is always one process); each keeps "
        "its own pool of --pool-size connections",
    )
    serve.add_argument(
        "--pool-size",
        type=int,
        default=8,
        help="PostgreSQL connections per worker (default 8)",
    )
    serve.add_argument(
        "--log-level",
        default="warning",
        choices=("debug", "info", "warning", "error"),
        help="what to log (info: every change set stored or refused; default warning)",
    )
    serve.add_argument(
        "--log-file", type=Path, help="also log to this file (rotated at 10 MB, 5 kept)"
    )
    serve.add_argument(
        "--min-app-version",
        type=_version,
        help="apps below this version must update before they sync again (their data stay)",
    )
    serve.add_argument(
        "--recommended-app-version",
        type=_version,
        help="apps below this version are told once that an update is recommended",
    )
    serve.set_defaults(handler=cmd_serve)
    mig = add("migrate", "bring the database's schema up to date (the server also does at start)")
    mig.add_argument(
        "--check", action="store_true", help="apply nothing; exit 1 if migrations are pending"
    )
    mig.set_defaults(handler=cmd_migrate)
    token = add("token", "print a one-time enrolment token for a site")
    token.add_argument("--site", required=True, help="site code")
    token.add_argument("--hours", type=float, default=24.0, help="validity (default 24)")
    token.add_argument(
        "--unsigned-history",
        action="store_true",
        help="for a computer whose site was created before user signatures: its audit trail "
        "may start with entries its users did not sign",
    )
    token.set_defaults(handler=cmd_token)
    mtoken = add("monitor-token", "print a one-time token a monitor binds their key with")
    mtoken.add_argument("--site", required=True, help="site code")
    mtoken.add_argument("--user", required=True, help="the monitor's user name at the site")
    mtoken.add_argument("--hours", type=float, default=24.0, help="validity (default 24)")
    mtoken.set_defaults(handler=cmd_monitor_token)
    revu = add("revoke-user", "revoke a user's keys at a site: what they sign is refused")
    revu.add_argument("--site", required=True, help="site code")
    revu.add_argument("--user", required=True, help="user name")
    revu.set_defaults(handler=cmd_revoke_user)
    sig = add("signers", "list the users' keys the server knows for a site")
    sig.add_argument("--site", required=True, help="site code")
    sig.set_defaults(handler=cmd_signers)
    rev = add("revoke", "revoke a device: its later uploads are refused")
    rev.add_argument("device", metavar="DEVICE_ID")
    rev.set_defaults(handler=cmd_revoke)
    verify = add("verify", "re-verify every stored change set and chain")
    verify.set_defaults(handler=cmd_verify)
    report = add("report", "write the study report: one self-contained HTML page")
    report.add_argument("--study", required=True, help="study id, e.g. NCT07553767")
    report.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    report.add_argument(
        "--definitions",
        type=Path,
        help="folder of the study and form definitions (default: those installed with the server)",
    )
    report.set_defaults(handler=cmd_report)
    export = add(
        "export",
        "export the whole study across its sites: ODM 1.3.2 (Snapshot, or Transactional with "
        "every change and its audit record) or CSV for analysis",
    )
    export.add_argument("format", choices=("odm", "csv"), help="file format")
    export.add_argument(
        "--transactional",
        action="store_true",
        help="ODM: every change of every site with its audit record, verifiable with "
        "'crf odm verify FILE' (default: a Snapshot of the current values)",
    )
    export.add_argument("--study", required=True, help="study id, e.g. NCT07553767")
    export.add_argument("--out", required=True, type=Path, help="the file to write")
    export.add_argument(
        "--definitions",
        type=Path,
        help="folder of the study and form definitions (default: those installed with the server)",
    )
    export.set_defaults(handler=cmd_export)
    _add_query(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (SchemaTooNew, DatabaseUnavailable) as exc:
        print(f"crf-server: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
