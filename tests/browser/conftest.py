"""Debian's Chromium driven by Playwright, against Django's live test server."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling hosts this closed
# network refuses.
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM
    # calls are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             chromium_sandbox=False, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="es-US")
    page = context.new_page()
    yield page
    context.close()


# The staff accounts the production site is started with. Publishers sign in with a
# TOTP code computed from these keys, as an authenticator app would.
STAFF_PASSWORD = "a long staff password for the journey"
TOTP_KEYS = {"publisher": "3132333435363738393031323334353637383930",
             "second_publisher": "4142434445464748494a4b4c4d4e4f5051525354"}

_SETUP_SCRIPT = """
import django
django.setup()
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

call_command("collectstatic", interactive=False, verbosity=0)
call_command("migrate", verbosity=0)
call_command("load_sample_data", verbosity=0)
call_command("write_fallback_pages", verbosity=0)
password, keys = {password!r}, {keys!r}
editor = User.objects.create_user("editor", "editor@example.org", password, is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
for username, key in keys.items():
    user = User.objects.create_user(username, f"{{username}}@example.org", password,
                                    is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers"))
    TOTPDevice.objects.create(user=user, name="phone", key=key, confirmed=True)
"""


def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProductionSite:
    """Gunicorn with production settings over plain HTTP, on its own SQLite file."""

    def __init__(self, url, environment):
        self.url = url
        self.environment = environment

    def totp(self, username):
        """The code an authenticator app would show now for this publisher."""
        from django_otp.oath import totp

        return f"{totp(bytes.fromhex(TOTP_KEYS[username]), step=30, t0=0, digits=6, drift=0):06d}"

    def manage(self, *arguments):
        """Run a management command against the site's database (e.g. to look at it)."""
        import subprocess
        import sys

        from django.conf import settings

        return subprocess.run([sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR,
                              env=self.environment, check=True, capture_output=True,
                              text=True).stdout


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """The whole site as it runs in production — DEBUG off, HTTPS-only cookies off
    because the journey speaks plain HTTP, the real security headers and CSP — with
    the sample data and one editor and two publishers (second factor: TOTP)."""
    import secrets
    import subprocess
    import sys
    import time
    import urllib.request

    from django.conf import settings

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    folder = tmp_path_factory.mktemp("production")
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL")}
    environment = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings",
                   "DATABASE_URL": f"sqlite:///{folder / 'amparo.sqlite3'}",
                   "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                   "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0",
                   "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                   "DJANGO_STATE_DIR": str(folder / "state")}
    script = _SETUP_SCRIPT.format(password=STAFF_PASSWORD, keys=TOTP_KEYS)
    subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=environment,
                   check=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(settings.BASE_DIR / ".venv/bin/gunicorn"), "config.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"],
        cwd=settings.BASE_DIR, env=environment,
        stdout=subprocess.DEVNULL, stderr=open(folder / "gunicorn.log", "w"))
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(150):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.terminate()
        pytest.fail(f"gunicorn did not start; see {folder / 'gunicorn.log'}")
    yield ProductionSite(url, environment)
    server.terminate()
    server.wait(timeout=20)
