"""Settings from the environment, and the real database and cache each run uses."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from directory.models import Region
from directory.upkeep import CONTENT_VERSION_KEY, content_version


def run_settings(**env):
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"],
        cwd=settings.BASE_DIR, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env})


def test_refuses_to_start_without_a_secret_key_unless_debugging():
    refused = run_settings()
    assert refused.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in refused.stderr
    assert run_settings(DJANGO_DEBUG="1").returncode == 0
    assert run_settings(DJANGO_SECRET_KEY="x" * 50).returncode == 0


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("this run uses another database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory, where SQLite reports "memory" instead of WAL.
    assert mode in {"wal", "memory"}
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_directory_runs_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    from django.core.management import call_command

    call_command("load_sample_data", verbosity=0)
    assert Region.objects.get(slug="aurora").parent.slug == "colorado"


@pytest.mark.redis
def test_an_edit_on_one_app_server_is_seen_by_another_through_redis():
    if not isinstance(caches["default"], RedisCache):
        pytest.skip("REDIS_URL is not set")
    other_server = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "amparo"})
    before = content_version()
    from directory.upkeep import content_changed

    content_changed()
    assert other_server.get(CONTENT_VERSION_KEY) == before + 1


@pytest.mark.django_db
def test_system_checks_pass_and_no_migration_is_missing():
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
