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
