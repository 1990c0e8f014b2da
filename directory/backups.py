"""Backups of everything Amparo holds, and their restore into an empty database.

A backup is one directory, named for the moment it was taken:

- ``db.sqlite3`` or ``db.pgdump``: the database's own snapshot, for its own tools
  (copy the file back, or ``pg_restore``);
- ``data.json``: every backed-up row in Django's portable serialization, which
  ``restore_data`` loads into a new database of either kind;
- ``manifest.json``: the Django version, the migrations applied, the rows per
  table and a sha256 of each file. It is written last: a directory without one
  is not a backup.

The snapshot and ``data.json`` are read in one transaction, so they agree with each
other and no row points at a row that is missing.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone, translation
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from . import search
from .fallback import write_fallback_pages

FORMAT = 1
DATA_FILE = "data.json"
MANIFEST_FILE = "manifest.json"
SNAPSHOT_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}

# Not backed up: `migrate` rebuilds content types and permissions (rows point at them
# by natural key); sessions, the admin's action log and axes' failed-login records are
# passing state; the search index is derived, and rebuilt after a restore (on SQLite it
# also lives in an FTS table no serializer sees). Everything else is, so a new app's
# rows are never missed.
NOT_BACKED_UP = {"contenttypes", "sessions", "axes", "auth.permission", "admin.logentry",
                 *(model._meta.label_lower for model in search.INDEX_MODELS)}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    counts: dict
    sizes: dict
    snapshot_skipped: str = ""


def backed_up_models():
    """Every model whose rows a backup holds, users before the rows that name them."""
    by_app = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in NOT_BACKED_UP or meta.label_lower in NOT_BACKED_UP:
            continue
        by_app.setdefault(meta.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def _through_models(model):
    return [field.remote_field.through for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created]


def row_counts(models):
    """Rows per table, many-to-many tables included."""
    counts = {}
    for model in models:
        for table in [model, *_through_models(model)]:
            counts[table._meta.label] = table._base_manager.count()
    return counts


def migration_state():
    """The migrations applied to this database, by app; empty before `migrate`."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    state = {}
    for app_label, name in recorder.applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def _require_migrated(what):
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan[:5])
        raise BackupError(f"This database is not migrated to this code ({len(plan)} "
                          f"migrations to apply: {names}{', …' if len(plan) > 5 else ''}). "
                          f"Run `manage.py migrate` first, then {what} again.")


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def _consistent_read():
    """One transaction that sees a single state of the whole database, blocking no one."""
    if connection.in_atomic_block:
        raise BackupError("A backup runs outside any transaction, to read one committed "
                          "state of the database.")
    connection.ensure_connection()
    # SQLite: a plain (deferred) BEGIN reads one snapshot without the write lock the
    # settings' IMMEDIATE mode would take, so staff edits go on meanwhile; the online
    # backup API cannot copy from a connection holding that lock (it waits forever).
    mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode


def _sqlite_snapshot(path):
    # The online backup API, through Django's own connection: it works for a file and
    # for the in-memory test database alike, and copies what this transaction sees.
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    finally:
        target.close()


def _postgresql_snapshot(path):
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        return ("pg_dump is not installed, so this backup has no db.pgdump; data.json "
                "holds everything restore_data needs. Install the PostgreSQL client "
                "tools (e.g. apt-get install postgresql-client) for a full snapshot.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    args, env = connection.client.settings_to_cmd_args_env(
        connection.settings_dict,
        ["--format=custom", f"--snapshot={snapshot}", f"--file={path}", "--no-password"])
    args[0] = pg_dump
    done = subprocess.run(args, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise BackupError(f"pg_dump failed, so no backup was written: {done.stderr.strip()}")
    return ""


def _write_data(path, models):
    """Serialize every row to `path`; return the rows written per table."""
    counts = {}

    def rows():
        for model in models:
            label = model._meta.label
            counts[label] = 0
            queryset = model._base_manager.order_by(model._meta.pk.name).prefetch_related(
                *[field.name for field in model._meta.local_many_to_many])
            for row in queryset.iterator(chunk_size=500):
                counts[label] += 1
                yield row

    with open(path, "w", encoding="utf-8") as stream:
        serializers.serialize("json", rows(), stream=stream, indent=1, cls=_ExactEncoder,
                              use_natural_foreign_keys=True)
    for model in models:
        for through in _through_models(model):
            counts[through._meta.label] = through._base_manager.count()
    return counts


def _free_name(output_dir, now):
    stamp = now.astimezone(datetime.UTC).strftime("amparo-%Y%m%dT%H%M%SZ")
    name, number = stamp, 1
    while (output_dir / name).exists():
        number += 1
        name = f"{stamp}-{number}"
    return output_dir / name


def create_backup(*, output_dir, now=None):
    """Write a new backup directory under `output_dir`; return what it holds.

    Everything is written under a hidden temporary name and renamed at the end, so
    an interrupted backup never leaves a directory that looks complete.
    """
    now = now or timezone.now()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    _require_migrated("back up")
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=output_dir))  # mode 0700
    try:
        models = backed_up_models()
        snapshot = SNAPSHOT_FILES.get(connection.vendor)
        skipped = "" if snapshot else (f"No snapshot for {connection.vendor} databases; "
                                       "data.json holds everything restore_data needs.")
        with translation.override(settings.LANGUAGE_CODE), _consistent_read():
            # The first read fixes the transaction's view; the snapshot copies that same
            # view (SQLite would otherwise copy whatever is committed when it starts).
            migrations = migration_state()
            if connection.vendor == "sqlite":
                _sqlite_snapshot(work / snapshot)
            elif connection.vendor == "postgresql":
                skipped = _postgresql_snapshot(work / snapshot)
            counts = _write_data(work / DATA_FILE, models)
        names = [name for name in (DATA_FILE, snapshot) if (work / name).exists()]
        files = {name: {"bytes": (work / name).stat().st_size, "sha256": _sha256(work / name)}
                 for name in names}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "django": django.get_version(),
            "database": {"vendor": connection.vendor,
                         "snapshot": snapshot if snapshot in files else None},
            "migrations": migrations,
            "counts": counts,
            "files": files,
        }
        (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n",
                                          encoding="utf-8")
        for name in [*names, MANIFEST_FILE]:
            _fsync(work / name)
        final = _free_name(output_dir, now)
        work.rename(final)
        _fsync(output_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    sizes = {name: entry["bytes"] for name, entry in files.items()}
    sizes[MANIFEST_FILE] = (final / MANIFEST_FILE).stat().st_size
    return BackupReport(path=final, counts=counts, sizes=sizes, snapshot_skipped=skipped)


def _read_manifest(path):
    path = Path(path)
    if not path.exists():
        raise BackupError(f"There is no backup at {path}.")
    directory = path if path.is_dir() else path.parent
    manifest_path = directory / MANIFEST_FILE
    if not manifest_path.exists():
        raise BackupError(f"{directory} has no {MANIFEST_FILE}, so it is not a complete backup "
                          "(an interrupted backup leaves none). Nothing was restored.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files, counts, migrations = manifest["files"], manifest["counts"], manifest["migrations"]
        expected_sha = files[DATA_FILE]["sha256"]
        version = manifest["format"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{manifest_path} is damaged ({error!r}). "
                          "Nothing was restored.") from error
    if version != FORMAT:
        raise BackupError(f"{manifest_path} is in backup format {version}; this code reads "
                          f"format {FORMAT}. Nothing was restored.")
    data = directory / DATA_FILE
    if not data.exists():
        raise BackupError(f"{directory} has no {DATA_FILE}. Nothing was restored.")
    if _sha256(data) != expected_sha:
        raise BackupError(f"{data} does not match its manifest (sha256 differs): it is "
                          "truncated, damaged or was edited. Nothing was restored; use "
                          "another backup.")
    return data, counts, migrations


def _check_migrations(backup_migrations):
    _require_migrated("restore")
    here = migration_state()
    if here == backup_migrations:
        return
    differ = sorted(app for app in {*here, *backup_migrations}
                    if here.get(app) != backup_migrations.get(app))
    details = "; ".join(
        f"{app}: backup at {(backup_migrations.get(app) or ['none'])[-1]}, "
        f"this database at {(here.get(app) or ['none'])[-1]}" for app in differ)
    raise BackupError(
        f"The backup was made at other migrations than this database is at ({details}). "
        "Check out the code version the backup was made with, run `manage.py migrate` on "
        "an empty database, restore, then update the code and migrate. Nothing was restored.")


def _history_is_empty(model):
    try:
        return not get_history_model_for_model(model)._base_manager.exists()
    except NotHistoricalModelError:
        return False


def _check_empty(models):
    """Refuse a database with anything in it beyond what `migrate` writes itself.

    `migrate` seeds the staff groups and rows of tracked models (the know-your-rights
    text, the notice templates) without history; every later edit leaves a history
    row, and every account is a user. So anything else is someone's data.
    """
    occupied = []
    for model in models:
        count = model._base_manager.count()
        if count and model is not Group and not _history_is_empty(model):
            occupied.append(f"{model._meta.label} ({count})")
    if occupied:
        more = f" and {len(occupied) - 8} more" if len(occupied) > 8 else ""
        raise BackupError(
            f"This database already holds data, so nothing was restored: "
            f"{', '.join(occupied[:8])}{more}. Restore into a new database: for SQLite, "
            "point DATABASE_URL at a new file (or move db.sqlite3 aside); for PostgreSQL, "
            "create a new database. Run `manage.py migrate`, then restore again.")


def _delete_seeded_rows(models):
    """Clear what `migrate` seeded; the backup holds these rows as they were."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in reversed(models):
            if model._base_manager.exists():
                for table in [*_through_models(model), model]:
                    cursor.execute(f"DELETE FROM {quote(table._meta.db_table)}")


def restore_backup(*, path):
    """Load a backup into this empty database in one transaction; return the row counts.

    Any failure (a damaged file, a row that does not fit, a count that does not match
    the manifest) rolls everything back and raises BackupError.
    """
    data, expected, backup_migrations = _read_manifest(path)
    _check_migrations(backup_migrations)
    models = backed_up_models()
    try:
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            _check_empty(models)  # inside: on SQLite no one can write between check and load
            # Rows name permissions and content types by natural key; a cached content
            # type from before this database was (re)made would point at a wrong id.
            ContentType.objects.clear_cache()
            _delete_seeded_rows(models)
            call_command("loaddata", str(data), verbosity=0)
            search.rebuild_index()  # upkeep indexed some half-loaded rows; start afresh
            counts = row_counts(models)
            if counts != expected:
                wrong = sorted(label for label in {*counts, *expected}
                               if counts.get(label) != expected.get(label))
                raise BackupError(
                    "The restored rows do not match the manifest, so nothing was restored: "
                    + "; ".join(f"{label}: backup has {expected.get(label)}, "
                                f"restore gave {counts.get(label)}" for label in wrong))
    except BackupError:
        raise
    except Exception as error:  # whatever the file holds, the operator gets a sentence
        raise BackupError(f"{data} could not be loaded, so nothing was restored: "
                          f"{error}") from error
    try:
        write_fallback_pages()  # upkeep skips loaded (raw) rows; the hotlines changed
    except OSError as error:
        raise BackupError(f"The backup was restored, but the page shown while the database "
                          f"is down could not be rewritten ({error}). Run `manage.py "
                          "write_fallback_pages` once that is fixed.") from error
    return counts
