"""`backup_data` and `restore_data`: every row round-trips, and nothing half-done is ever left.

The tests commit (pg_dump and the SQLite backup API read committed data), so they
run in transactional mode; serialized_rollback gives each one back the rows the
migrations wrote (staff groups, know-your-rights text, notice templates).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django_otp.plugins.otp_static.models import StaticDevice

from directory import backups
from directory.fallback import fallback_path, write_fallback_pages
from directory.models import (
    Hotline,
    PendingChange,
    RightsSection,
    SearchEntry,
    SearchFacet,
    StaffMembership,
)
from tests.factories import make_hotline, make_public_notice, make_publisher

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What a backup must hold, named here rather than taken from the code under test.
BACKED_UP_APPS = {"directory", "alerts", "otp_static", "otp_totp"}
BACKED_UP_AUTH = {"auth.Group", "auth.User", "auth.Group_permissions", "auth.User_groups",
                  "auth.User_user_permissions"}
# Derived from the rows and made again after a restore; compared by content, see index().
SEARCH_INDEX = {"directory.SearchEntry", "directory.SearchFacet", "directory.SearchOpening"}


def table_rows():
    """Every backed-up row exactly as stored, by table.

    Permissions and content types are named by their natural key (migrate numbers
    them afresh), and many-to-many rows leave out their own meaningless id.
    """
    natural = {
        Permission: {p.pk: (p.content_type.app_label, p.codename)
                     for p in Permission.objects.select_related("content_type")},
        ContentType: {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()},
    }
    quote = connection.ops.quote_name
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in BACKED_UP_APPS and meta.label not in BACKED_UP_AUTH:
            continue
        if meta.label in SEARCH_INDEX:
            continue
        fields = [field for field in meta.local_concrete_fields
                  if not (meta.auto_created and field.primary_key)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(quote(field.column) for field in fields)} "
                           f"FROM {quote(meta.db_table)}")
            rows = cursor.fetchall()
        tables[meta.label] = sorted(
            (tuple(natural[field.related_model][value]
                   if field.related_model in natural and value is not None else value
                   for field, value in zip(fields, row, strict=True)) for row in rows),
            key=repr)
    return tables


def index():
    """The search index by what it says, without its own ids."""
    return (sorted(SearchEntry.objects.values_list(
                "source", "object_id", "language", "title", "name_text", "body_text")),
            sorted(SearchFacet.objects.values_list(
                "entry__source", "entry__object_id", "entry__language", "name", "value")))


def as_freshly_migrated():
    """Empty the database, then give back what `migrate` wrote: the state a restore expects."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    assert RightsSection.objects.exists() and Group.objects.filter(name="Publishers").exists()
    assert not Hotline.objects.exists() and not User.objects.exists()


def back_up(tmp_path):
    output_dir = tmp_path / "backups"  # tmp_path itself also holds the test's STATE_DIR
    out = io.StringIO()
    call_command("backup_data", output=str(output_dir), stdout=out, stderr=out)
    [path] = output_dir.glob("amparo-*")
    assert str(path) in out.getvalue()
    return path


def restore(path):
    call_command("restore_data", str(path), stdout=io.StringIO())


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled():
    """The sample directory, a published notice, an edited hotline and staff accounts."""
    call_command("load_sample_data", stdout=io.StringIO())
    publisher = make_publisher()
    StaticDevice.objects.create(user=publisher, name="recovery codes").token_set.create(
        token="abcd1234")
    hotline = Hotline.objects.order_by("slug").first()
    notice = make_public_notice(publisher=publisher)
    notice.hotlines.add(hotline)
    hotline.summary_es = "Llame para reportar actividad de ICE en su barrio."
    hotline.save()
    staff = User.objects.create_user("volunteer", email="volunteer@example.org",
                                     password="not-used-here", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_hotline"))
    staff.groups.add(Group.objects.get(name="Editors"))
    StaffMembership.objects.create(user=staff, organization=hotline.organization)
    PendingChange.objects.create(  # points at its record through a content type
        content_type=ContentType.objects.get_for_model(Hotline), object_id=str(hotline.pk),
        changes={"phone": ["+18448648341", "+17205550100"]}, requested_by=staff)
    assert hotline.history.count() >= 2
    return hotline


@pytest.fixture
def some_content():
    """A little of everything that makes a database not empty: a record, its history, a user."""
    hotline = make_hotline()
    hotline.summary_es = "Llame para reportar actividad de ICE."
    hotline.save()
    make_publisher()
    return hotline


def test_a_backup_restores_every_row_translation_and_history_row(filled, tmp_path):
    before = table_rows()
    search_index = index()
    assert any(entry[1] == filled.pk for entry in search_index[0]) and search_index[1]
    assert len(before["directory.HistoricalHotline"]) >= 2
    assert before["alerts.Notice"] and before["alerts.Notice_hotlines"]
    assert before["auth.User_user_permissions"] and before["auth.Group_permissions"]
    assert before["otp_static.StaticToken"] and before["directory.PendingChange"]
    path = back_up(tmp_path)

    as_freshly_migrated()
    write_fallback_pages()
    assert filled.name not in fallback_path("en").read_text()
    restore(path)

    assert table_rows() == before
    # What is derived from the rows is made again: the search index, and the page shown
    # while the database is down.
    assert index() == search_index
    assert filled.name in fallback_path("en").read_text()
    restored = Hotline.objects.get(pk=filled.pk)
    assert restored.summary_es == "Llame para reportar actividad de ICE en su barrio."
    assert list(restored.history.values_list("history_date", flat=True)) == list(
        filled.history.values_list("history_date", flat=True))  # to the microsecond


def test_restore_also_fills_a_database_emptied_of_everything(filled, tmp_path):
    before = table_rows()
    path = back_up(tmp_path)
    call_command("flush", interactive=False, verbosity=0)  # no staff groups, no seeds

    restore(path / "data.json")

    assert table_rows() == before


def test_the_manifest_says_what_the_backup_holds(filled, tmp_path):
    path = back_up(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text())
    data = path / "data.json"

    assert manifest["files"]["data.json"] == {"bytes": data.stat().st_size,
                                              "sha256": sha256(data)}
    assert manifest["django"] == django.get_version()
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["directory"][-1] == max(
        name for app, name in applied if app == "directory")
    counts = manifest["counts"]
    assert counts["directory.Hotline"] == Hotline.objects.count()
    assert counts["directory.HistoricalHotline"] == filled.history.model.objects.count()
    assert counts["alerts.Notice_hotlines"] == Hotline.notices.through.objects.count() > 0
    assert not any(label.startswith(("contenttypes.", "sessions.", "axes.", "admin."))
                   for label in counts)
    assert "auth.Permission" not in counts and "directory.SearchEntry" not in counts
    written = {}
    for row in json.loads(data.read_text()):
        label = apps.get_model(row["model"])._meta.label
        written[label] = written.get(label, 0) + 1
    assert written == {label: n for label, n in counts.items()
                       if n and not apps.get_model(label)._meta.auto_created}
    assert oct(path.stat().st_mode & 0o777) == "0o700"  # password hashes and OTP secrets


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(some_content, tmp_path):
    path = back_up(tmp_path)
    before = table_rows()

    with pytest.raises(CommandError, match="already holds data, so nothing was restored: auth"):
        restore(path)

    assert table_rows() == before


def test_restore_refuses_a_database_with_an_account_in_it(some_content, tmp_path):
    path = back_up(tmp_path)
    as_freshly_migrated()
    User.objects.create_superuser("admin", "admin@example.org", "not-used-here")

    with pytest.raises(CommandError, match=r"nothing was restored: auth.User \(1\)\. Restore"):
        restore(path)

    assert not Hotline.objects.exists()


def _truncate(path):
    text = path.read_text()
    path.write_text(text[: len(text) // 2])


def _edit(path):
    text = path.read_text()
    path.write_text(text.replace('"summary_es": "', '"summary_es": "!', 1))


def _drop_a_history_row(path):
    rows = json.loads(path.read_text())
    [dropped] = [row for row in rows if row["model"] == "directory.historicalhotline"][:1]
    rows.remove(dropped)
    path.write_text(json.dumps(rows))


@pytest.mark.parametrize(("damage", "manifest_follows", "message"), [
    (_truncate, False, "does not match its manifest"),
    (_edit, False, "does not match its manifest"),
    (_truncate, True, "could not be loaded, so nothing was restored"),
    (_drop_a_history_row, True, "do not match the manifest.*HistoricalHotline: backup has"),
])
def test_a_damaged_backup_is_refused_and_nothing_is_written(
        some_content, tmp_path, damage, manifest_follows, message):
    path = back_up(tmp_path)
    data = path / "data.json"
    damage(data)
    if manifest_follows:  # the file was damaged before its hash was taken
        manifest = json.loads((path / "manifest.json").read_text())
        manifest["files"]["data.json"]["sha256"] = sha256(data)
        (path / "manifest.json").write_text(json.dumps(manifest))
    as_freshly_migrated()
    before = table_rows()

    with pytest.raises(CommandError, match=message):
        restore(path)

    assert table_rows() == before


def test_restore_refuses_a_backup_made_at_other_migrations(some_content, tmp_path):
    path = back_up(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["migrations"]["directory"].pop()
    (path / "manifest.json").write_text(json.dumps(manifest))
    as_freshly_migrated()

    with pytest.raises(CommandError, match="other migrations.*directory: backup at"):
        restore(path)

    assert not Hotline.objects.exists()


def test_an_interrupted_backup_leaves_nothing_that_looks_complete(
        some_content, tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(backups, "_write_data", disk_full)
    with pytest.raises(OSError):
        backups.create_backup(output_dir=tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []

    half = tmp_path / "backups" / "amparo-half"
    half.mkdir()
    (half / "data.json").write_text("[]")
    with pytest.raises(CommandError, match="no manifest.json, so it is not a complete backup"):
        restore(half)


def test_a_backup_is_never_taken_inside_a_transaction(some_content, tmp_path):
    # It would copy uncommitted rows (SQLite's backup API would even wait forever).
    with transaction.atomic(), pytest.raises(backups.BackupError, match="outside any"):
        backups.create_backup(output_dir=tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_the_commands_restore_into_a_new_sqlite_database(filled, tmp_path):
    """The operator's path, as processes: migrate a new database, restore, no traceback.

    On a PostgreSQL run this also carries a backup from PostgreSQL to SQLite.
    """
    path = back_up(tmp_path)
    database = tmp_path / "new.sqlite3"
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_DEBUG="1",
               DJANGO_STATE_DIR=str(tmp_path / "new-state"))  # not the developer's var/

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                              env=env, capture_output=True, text=True, timeout=300)

    assert manage("migrate", "--verbosity", "0").returncode == 0
    broken = shutil.copytree(path, tmp_path / "broken")
    _truncate(broken / "data.json")
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["files"]["data.json"]["sha256"] = sha256(broken / "data.json")
    (broken / "manifest.json").write_text(json.dumps(manifest))

    refused = manage("restore_data", str(broken))
    assert refused.returncode == 1
    assert "could not be loaded" in refused.stderr and "Traceback" not in refused.stderr
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT count(*) FROM directory_rightssection").fetchone()[0] == (
            RightsSection.objects.count())  # what migrate wrote is still there
        assert db.execute("SELECT count(*) FROM directory_hotline").fetchone()[0] == 0

    done = manage("restore_data", str(path))
    assert done.returncode == 0, done.stderr
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT count(*) FROM directory_historicalhotline").fetchone()[0] == (
            filled.history.count())
        assert db.execute("SELECT summary_es FROM directory_hotline WHERE id = ?",
                          [filled.pk.hex]).fetchone()[0] == filled.summary_es
    assert manage("restore_data", str(path)).returncode == 1  # not twice


def test_on_sqlite_the_snapshot_opens_with_the_same_rows(filled, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("this run uses another database")
    path = back_up(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text())

    assert manifest["database"] == {"vendor": "sqlite", "snapshot": "db.sqlite3"}
    assert manifest["files"]["db.sqlite3"]["sha256"] == sha256(path / "db.sqlite3")
    with closing(sqlite3.connect(path / "db.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert db.execute("SELECT count(*) FROM directory_hotline").fetchone()[0] == (
            Hotline.objects.count())
        assert db.execute("SELECT count(*) FROM directory_historicalhotline").fetchone()[0] == (
            filled.history.model.objects.count())


@pytest.mark.postgres
def test_on_postgresql_the_snapshot_is_a_pg_dump_archive_with_the_same_rows(filled, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    path = back_up(tmp_path)
    dump = path / "db.pgdump"
    manifest = json.loads((path / "manifest.json").read_text())

    assert dump.stat().st_size > 0
    assert manifest["database"] == {"vendor": "postgresql", "snapshot": "db.pgdump"}
    assert manifest["files"]["db.pgdump"]["sha256"] == sha256(dump)
    if shutil.which("pg_restore"):
        copy = subprocess.run(
            ["pg_restore", "--data-only", "--table=directory_hotline", "--file=-", str(dump)],
            capture_output=True, text=True, check=True).stdout
        rows = copy.split("FROM stdin;\n", 1)[1].split("\n\\.\n", 1)[0].splitlines()
        assert len(rows) == Hotline.objects.count()


@pytest.mark.postgres
def test_without_pg_dump_the_backup_says_so_and_keeps_the_portable_dump(
        some_content, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    out = io.StringIO()

    call_command("backup_data", output=str(tmp_path / "backups"), stdout=out, stderr=out)

    [path] = (tmp_path / "backups").glob("amparo-*")
    assert "pg_dump is not installed" in out.getvalue()
    assert sorted(p.name for p in path.iterdir()) == ["data.json", "manifest.json"]
    assert json.loads((path / "manifest.json").read_text())["database"]["snapshot"] is None
