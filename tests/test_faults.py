"""Faults: the database down, error pages, a missing SQLite file, concurrent writers."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.views import defaults

from directory.fallback import fallback_path
from tests import factories


def database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server failed: Connection refused")


@pytest.fixture
def rapid_response_line(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hotline = factories.make_hotline(is_featured=True, phone="+18448648341")
        factories.make_menu_option(hotline=hotline, digits="2")
    return hotline


def test_saving_a_hotline_rewrites_the_database_down_page(rapid_response_line,
                                                          django_capture_on_commit_callbacks):
    assert "(844) 864-8341" in fallback_path("es").read_text()
    with django_capture_on_commit_callbacks(execute=True):
        rapid_response_line.phone = "+17205550123"
        rapid_response_line.save()
    for language in ("en", "es"):
        page = fallback_path(language).read_text()
        assert "(720) 555-0123" in page
        assert "(844) 864-8341" not in page
        assert f'<html lang="{language}"' in page


def test_with_the_database_down_visitors_get_a_503_with_the_hotline(client,
                                                                   rapid_response_line):
    with connection.execute_wrapper(database_down):
        response = client.get("/es/hotlines/")
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert 'href="tel:+18448648341' in html
    assert '<html lang="es"' in html
    assert "luego marque 2" in html or "then press 2" in html


def test_healthz_reports_the_database_and_the_cache(client, db):
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}
    with connection.execute_wrapper(database_down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_error_pages_never_touch_the_database(client, db, django_assert_num_queries):
    factories.make_public_notice()
    with django_assert_num_queries(0):
        missing = client.get("/es/no-such-page/")
    assert missing.status_code == 404
    assert '<html lang="es"' in missing.content.decode()
    request = RequestFactory().get("/en/")
    with django_assert_num_queries(0):
        assert defaults.server_error(request).status_code == 500


def run_python(code, **env):
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
                          env={**clean, "DJANGO_DEBUG": "1", "DJANGO_SECURE_SSL_REDIRECT": "0",
                               "DJANGO_SETTINGS_MODULE": "config.settings", **env})


def test_a_stopped_postgresql_gives_a_503_not_a_crash(tmp_path):
    """Nothing listens on port 1: the real driver fails to connect, as with a stopped server."""
    result = run_python("""
        import django
        django.setup()
        from django.test import Client
        response = Client().get("/en/hotlines/")
        print(response.status_code, response["Retry-After"])
    """, DATABASE_URL="postgres://postgres@127.0.0.1:1/amparo", DJANGO_STATE_DIR=str(tmp_path))
    assert result.stdout.split() == ["503", "60"], result.stderr[-2000:]


def test_a_missing_sqlite_file_stops_the_server_from_starting(tmp_path):
    database = tmp_path / "missing.sqlite3"
    result = run_python("import config.wsgi", DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode != 0
    assert "does not exist" in result.stderr
    assert not database.exists()


def test_staff_writes_and_public_reads_on_sqlite_never_hit_a_locked_database(tmp_path):
    database = tmp_path / "amparo.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_STATE_DIR": str(tmp_path)}
    setup = run_python("""
        import django
        django.setup()
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        call_command("load_sample_data", verbosity=0)
    """, **env)
    assert setup.returncode == 0, setup.stderr[-2000:]
    worker = """
        import sys, django
        django.setup()
        from django.db import transaction
        from django.test import Client
        from directory.models import Hotline
        role, errors = sys.argv[1], 0
        client = Client()
        for round in range(60):
            try:
                if role == "writer":
                    with transaction.atomic():
                        hotline = Hotline.objects.get(slug="circ-hotline")
                        hotline.summary_en = f"Checked, round {round}"
                        hotline.save()
                else:
                    assert client.get("/en/hotlines/circ-hotline/").status_code == 200
            except Exception as error:
                errors += 1
                print(type(error).__name__, error, file=sys.stderr)
        print(errors)
    """
    processes = [subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(worker), role], cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
             "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env})
        for role in ("writer", "writer", "reader", "reader")]
    outcomes = [process.communicate(timeout=300) for process in processes]
    assert [out.strip() for out, _err in outcomes] == ["0", "0", "0", "0"], [
        err[-1000:] for _out, err in outcomes]
