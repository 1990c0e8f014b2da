"""Two gunicorn app servers on one PostgreSQL and one Redis: an edit through one is on
the other's next response, page cache and all."""

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

DATABASE = "amparo_two_servers"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def environment():
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        pytest.skip("needs DATABASE_URL at PostgreSQL and REDIS_URL")
    server = urllib.parse.urlsplit(database_url)
    own_database = server._replace(path=f"/{DATABASE}").geturl()
    admin = [f"--host={server.hostname}", f"--port={server.port or 5432}",
             f"--username={server.username or 'postgres'}"]
    subprocess.run(["dropdb", "--if-exists", *admin, DATABASE], check=True)
    subprocess.run(["createdb", *admin, DATABASE], check=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {**clean, "DATABASE_URL": own_database, "REDIS_URL": redis_url,
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_SECURE_SSL_REDIRECT": "0",
           "DJANGO_SECURE_COOKIES": "0",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    setup = """
import django
django.setup()
from django.core.cache import cache
from django.core.management import call_command
from django.contrib.auth.models import User
from django_otp.plugins.otp_static.models import StaticDevice
cache.clear()
call_command("collectstatic", interactive=False, verbosity=0)
call_command("migrate", verbosity=0)
call_command("load_sample_data", verbosity=0)
user = User.objects.create_superuser("chief", "chief@example.org", "a long staff password")
StaticDevice.objects.create(user=user, name="codes").token_set.create(token="recovery1")
"""
    subprocess.run([sys.executable, "-c", setup], cwd=settings.BASE_DIR, env=env, check=True)
    yield env
    subprocess.run(["dropdb", "--if-exists", "--force", *admin, DATABASE], check=False)


@pytest.fixture
def two_servers(environment, tmp_path):
    ports, processes = [free_port(), free_port()], []
    for index, port in enumerate(ports):
        processes.append(subprocess.Popen(
            [str(settings.BASE_DIR / ".venv/bin/gunicorn"), "config.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"],
            cwd=settings.BASE_DIR,
            env={**environment, "DJANGO_STATE_DIR": str(tmp_path / str(index))},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for port in ports:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
    yield [f"http://127.0.0.1:{port}" for port in ports]
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def fetch(opener, url, data=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    with opener.open(urllib.request.Request(url, data=body), timeout=10) as response:
        return response.headers, response.read().decode()


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_an_edit_through_one_server_shows_on_the_other(two_servers):
    first, second = two_servers
    visitor = urllib.request.build_opener()
    headers, page = fetch(visitor, f"{second}/en/rights/")
    assert headers["X-Page-Cache"] == "miss"
    headers, page = fetch(visitor, f"{second}/en/rights/")
    assert headers["X-Page-Cache"] == "hit"
    assert "Agents are at my door" in page

    staff = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _headers, login = fetch(staff, f"{first}/admin/login/")
    fetch(staff, f"{first}/admin/login/?next=/admin/", {
        "csrfmiddlewaretoken": csrf_token(login), "username": "chief",
        "password": "a long staff password", "otp_token": "recovery1", "next": "/admin/"})
    _headers, listing = fetch(staff, f"{first}/admin/directory/rightssection/")
    door = re.search(r'href="(/admin/directory/rightssection/(\d+)/change/)"[^>]*>'
                     r'Agents are at my door', listing)
    _headers, form = fetch(staff, f"{first}{door.group(1)}")
    fields = dict(re.findall(r'<textarea name="(steps_\w+)"[^>]*>\n?([^<]*)</textarea>', form))
    fetch(staff, f"{first}{door.group(1)}", {
        "csrfmiddlewaretoken": csrf_token(form), "topic": "door",
        "title_en": "Agents are knocking at my door", "title_es": "Tocan a mi puerta",
        "steps_en": fields["steps_en"], "steps_es": fields["steps_es"], "position": "10",
        "_save": "Save"})

    headers, page = fetch(visitor, f"{second}/en/rights/")
    assert headers["X-Page-Cache"] == "miss"
    assert "Agents are knocking at my door" in page
