"""`make bench`'s own parts that need no server: the trivial view and the report."""

import pytest

from bench import run

pytestmark = pytest.mark.django_db


def test_the_trivial_view_goes_through_the_whole_middleware(client, settings):
    settings.ROOT_URLCONF = "config.bench_urls"
    response = client.get(run.TRIVIAL_PATH)
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "Permissions-Policy" in response  # set by Amparo's own middleware
    assert "Content-Security-Policy" in response
    # …and the site's own pages are still there beside it.
    assert client.get("/en/").status_code == 200


def test_the_trivial_view_exists_only_during_the_bench(client):
    assert client.get(run.TRIVIAL_PATH).status_code == 404


def test_the_servers_run_with_production_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("REDIS_URL", "redis://elsewhere/0")
    env = run.production_env("sqlite:////tmp/x.sqlite3", secret_key="k", state_dir=tmp_path)
    assert "DJANGO_DEBUG" not in env and "REDIS_URL" not in env
    assert env["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    assert env["DJANGO_ALLOWED_HOSTS"] == "127.0.0.1"
    assert env["DJANGO_BENCH"] == "1"


def figures(rps):
    return {"rps": rps, "good": rps * 10, "bad": 0, "socket_errors": 0, "seconds": 10.0}


def database(records, *, list_queries=3, list_off=300.0):
    found = run.Database("SQLite", records, f"sqlite:///bench-{records}",
                         label=f"SQLite {records:,}")
    found.paths = {"trivial view": run.TRIVIAL_PATH, "home": "/es/", "list": "/es/services/"}
    found.results = {
        "trivial view": {"bytes": 3, "off": figures(1000.0), "on": figures(1000.0)},
        "home": {"bytes": 30_000, "queries": 10, "hit_queries": 0,
                 "off": figures(200.0), "on": figures(900.0)},
        "list": {"bytes": 9_000, "queries": list_queries, "hit_queries": 0,
                 "off": figures(list_off), "on": figures(600.0)},
    }
    found.search = {"p50": 4.0, "p95": 12.5}
    found.memory = {"off": 80.0, "on": 82.0}
    return found


def test_the_table_gives_each_page_its_ratio_to_the_trivial_view():
    table = run.table([database(100)])
    home = next(line for line in table.splitlines() if "| home |" in line)
    assert "| 10/0 | 30,000 | — | 200 | 20% | 900 | 90% |" in home
    assert "80/82" in home


def test_the_targets_are_checked():
    found = dict((text, ok) for ok, text in run.checks(
        [database(100), database(100_000, list_queries=4, list_off=200.0)]))
    assert found["SQLite 100: home cache on at 90% of the trivial view (target ≥ 70%)"]
    assert not found["SQLite 100: list cache on at 60% of the trivial view (target ≥ 70%)"]
    assert not found["SQLite: list makes 3 queries at 100 records and 4 at 100,000"]
    assert found["SQLite: home makes 10 queries at 100 records and 10 at 100,000"]
    assert not found["SQLite: list cache off at 20% of the trivial view with 100,000 records, "
                     "30% with 100 (no lower by more than 10 %)"]
    assert found["SQLite 100,000: search p95 12.5 ms (target ≤ 30 ms)"]


def test_the_wrk_script_is_complete():
    script = run.WRK_LUA % {"size": 1234}
    assert "local expected = 1234" in script
    assert "function done(summary, latency, requests)" in script
