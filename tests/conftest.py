"""Test-only settings and the rule that nothing skips quietly in CI."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATE_DIR = tmp_path / "state"
    # Whole-page caching is proven in its own tests; elsewhere it would hide queries.
    settings.PAGE_CACHE = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def admin_client(client, admin_user):
    """A superuser signed in with a second factor, as the admin requires."""
    from tests.factories import login_staff

    return login_staff(client, admin_user)


# The data migrations' seeds, which a transactional test's flush wipes out.
MIGRATION_SEEDS = [
    ("alerts.migrations.0002_staff_groups_and_templates", "forwards"),
    ("directory.migrations.0003_seed_rights_content", "seed_rights_content"),
    ("directory.migrations.0004_keeping_it_true", "seed_intervals_and_approvers"),
    ("directory.migrations.0006_seed_synonyms", "seed"),
]


@pytest.fixture(autouse=True)
def _migration_data(request):
    """Transactional and live-server tests run after the others and flush the database
    when they end; put back what `migrate` wrote before each of them, if it is gone."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction"))
    if not transactional:
        return
    request.getfixturevalue("django_db_setup")
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    with request.getfixturevalue("django_db_blocker").unblock():
        if not Group.objects.filter(name="Publishers").exists():
            for module, function in MIGRATION_SEEDS:
                getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _default_language():
    """A page request activates its language; the next test starts in English again."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _port_open(url, default_port):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1",
                                       parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def resource_present(marker):
    """Whether this run has what a marked test needs.

    PostgreSQL and Redis count as present when this run is pointed at them
    (DATABASE_URL, REDIS_URL) and they answer; the SQLite pass legitimately skips them.
    """
    if marker == "postgres":
        url = os.environ.get("DATABASE_URL", "")
        return url.startswith(("postgres://", "postgresql://")) and _port_open(url, 5432)
    if marker == "redis":
        url = os.environ.get("REDIS_URL", "")
        return bool(url) and _port_open(url, 6379)
    if marker == "browser":
        return os.path.exists("/usr/bin/chromium")
    if marker == "java":
        return shutil.which("java") is not None
    if marker == "gettext":
        return shutil.which("xgettext") is not None and shutil.which("msgfmt") is not None
    return False


RESOURCE_MARKERS = ("postgres", "redis", "browser", "java", "gettext")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip is a failure when the resource the test needs is in fact there."""
    outcome = yield
    report = outcome.get_result()
    if not (os.environ.get("CI") and report.skipped):
        return
    for marker in RESOURCE_MARKERS:
        if item.get_closest_marker(marker) and resource_present(marker):
            report.outcome = "failed"
            report.longrepr = (f"Skipped in CI although the {marker} resource is present: "
                               f"{report.longrepr}")
            return


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: the live server's shared in-memory SQLite connection drops the
    saved copy of the migrated database that serialized-rollback tests restore from."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
