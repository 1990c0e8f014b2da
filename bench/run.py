"""`make bench`: how fast Amparo answers with 100 and with 100,000 records.

For each database (SQLite always; PostgreSQL too when DATABASE_URL names one) it
generates the records with `bench.generate`, then:

a. search server time at concurrency 1 over `bench.search_timing.QUERIES` (p50, p95);
b. gunicorn with 2 workers and production settings under load from wrk on 127.0.0.1,
   page cache off and on (Redis), for home, a list, a detail page and a search, beside
   two ceilings: a trivial Django view through the same middleware and a static file
   through WhiteNoise. Only 200 answers of the expected size count;
c. SQL queries per page (in-process, through Django's test client), response bytes,
   and the gunicorn workers' peak memory (VmHWM).

It prints one Markdown table and writes it to var/bench-<UTC date and time>.md.
A missing wrk, Redis or PostgreSQL skips its part with a note. Every gunicorn started
here is stopped on the way out, on failure and on Ctrl-C too.

    .venv/bin/python -m bench.run                 # what `make bench` runs
    .venv/bin/python -m bench.run --records 100   # fewer databases
    .venv/bin/python -m bench.run --database sqlite:////path/db.sqlite3   # an existing one

Environment: BENCH_DURATION (seconds per measured wrk run, 10), BENCH_WARMUP (2),
BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_REDIS_URL (redis://127.0.0.1:6379/14,
flushed before each cache-on run).
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

RECORDS = (100, 100_000)
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = 2
# wrk gives up on an answer after WRK_TIMEOUT s; a server still busy DRAIN_SECONDS after a
# run is restarted instead of waited for.
WRK_TIMEOUT, DRAIN_SECONDS = 30, 5
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PG_PREFIX = "amparo_bench_"
LOAD_AT_START = 0.0

# The pages measured, in table order. `/` only redirects to a language, so home is /es/.
# The detail page's path is chosen from each database (its first published service).
TRIVIAL_PATH = "/bench/trivial/"
PAGES = {
    "trivial view": TRIVIAL_PATH,
    "static file": None,  # the collected stylesheet, by its hashed name
    "home": "/es/",
    "list": "/es/services/",
    "detail": None,
    "search": "/es/search/?q=abogado",
}
CACHED_PAGES = ("home", "list", "detail", "search")
INSPECT_ROUNDS = 3
# Issue 6's targets, checked at the end.
CACHE_ON_TARGET, CACHE_OFF_TARGET, GROWTH_TOLERANCE = 0.70, 0.15, 0.10
HOME_MAX_BYTES, CSS_MAX_BYTES, SEARCH_P95_MAX_MS = 40_000, 15_000, 30.0

WRK_LUA = """
local expected = %(size)d
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) good = 0; bad = 0; bad_status = 0; bad_length = 0 end
function response(status, headers, body)
  if status == 200 and #body == expected then good = good + 1
  else bad = bad + 1; bad_status = status; bad_length = #body end
end
function done(summary, latency, requests)
  local g, b, status, length = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    g = g + thread:get("good"); b = b + thread:get("bad")
    if thread:get("bad") > 0 then
      status = thread:get("bad_status"); length = thread:get("bad_length")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "good": %%d, "bad": %%d, "socket_errors": %%d, ' ..
    '"bad_status": %%d, "bad_length": %%d, ' ..
    '"seconds": %%.3f, "p50_ms": %%.2f, "p95_ms": %%.2f}\\n',
    summary.requests, g, b, e.connect + e.read + e.write + e.timeout, status, length,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


class BenchError(Exception):
    """A failure that ends one part of the bench with a message instead of a traceback."""


# Ctrl-C or a plain `kill` only sets this flag (and passes the signal on to the helper
# process running at the time); the bench stops at the next checkpoint, so a signal never
# lands in the middle of starting or stopping a server and leaves one running.
STOP_REQUESTED = []
CHILDREN = set()


def request_stop(signum, frame):
    STOP_REQUESTED.append(signum)
    for child in list(CHILDREN):
        try:
            child.send_signal(signal.SIGINT)
        except OSError:
            pass


def checkpoint():
    if STOP_REQUESTED:
        raise KeyboardInterrupt


def run_child(args, *, timeout=None, capture=True, **options):
    """subprocess.run, stopped with the bench; answers CompletedProcess."""
    checkpoint()
    pipe = subprocess.PIPE if capture else None
    child = subprocess.Popen(args, stdout=pipe, stderr=pipe, text=True, **options)
    CHILDREN.add(child)
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, stderr = child.communicate()
    finally:
        CHILDREN.discard(child)
    checkpoint()
    return subprocess.CompletedProcess(args, child.returncode, stdout, stderr)


def note(text, notes=None):
    print(f"bench: {text}", file=sys.stderr, flush=True)
    if notes is not None:
        notes.append(text)


@dataclass
class Database:
    backend: str  # "SQLite" or "PostgreSQL"
    records: int | None  # None for a database given with --database
    url: str
    label: str = ""
    results: dict = field(default_factory=dict)  # page -> {"off": ..., "on": ..., ...}
    search: dict | None = None
    memory: dict = field(default_factory=dict)  # "off"/"on" -> peak MiB
    paths: dict = field(default_factory=dict)


# --- Environment and processes -------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url, *, redis_url="", secret_key, state_dir, extra_hosts=()):
    """Production settings over plain HTTP: no DJANGO_DEBUG, a random key, 127.0.0.1 only."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": ",".join(("127.0.0.1", *extra_hosts)),
        "DJANGO_STATE_DIR": str(state_dir),
        "DJANGO_BENCH": "1",
        "DATABASE_URL": database_url,
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class Processes:
    """Every server started here, stopped on the way out whatever happens."""

    def __init__(self):
        self.running = []

    def start_gunicorn(self, env, port, log):
        process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
             "--no-control-socket"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True)
        self.running.append(process)
        return process

    def stop(self, process):
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process in self.running:
            self.running.remove(process)

    def stop_all(self):
        for process in list(self.running):
            try:
                self.stop(process)
            except OSError:
                pass
            try:  # its workers too, should the master have gone first
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass


def worker_pids(master_pid):
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def peak_memory_mib(master_pid):
    """The largest VmHWM (peak resident memory) among the master's workers, in MiB."""
    peaks = []
    for pid in worker_pids(master_pid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return max(peaks) if peaks else None


def fetch(url, timeout=30):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(base_url, process, log_path):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        checkpoint()
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited at start; its log:\n{Path(log_path).read_text()}")
        try:
            fetch(f"{base_url}{TRIVIAL_PATH}", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError("gunicorn did not answer within 60 s")


# --- Preflight -------------------------------------------------------------------------

def have_wrk(notes):
    if shutil.which("wrk"):
        return True
    note("wrk is not installed: throughput (b) is skipped. Install it with "
         "`apt-get install -y wrk` (Debian's package) and run make bench again.", notes)
    return False


def have_redis(notes):
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return True
    except Exception as error:  # any failure only means no cache-on figures
        note(f"Redis at {REDIS_URL} did not answer ({error.__class__.__name__}: {error}): "
             "the page-cache-on runs are skipped. Start redis-server or set BENCH_REDIS_URL.",
             notes)
        return False


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()


def postgres_server(notes):
    """The PostgreSQL server DATABASE_URL names, or None (with a note if it cannot be used)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return None
    if not shutil.which("createdb"):
        note("DATABASE_URL names PostgreSQL but `createdb` is not installed "
             "(apt-get install -y postgresql-client): PostgreSQL is skipped.", notes)
        return None
    server = urllib.parse.urlsplit(url)
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
    except Exception as error:
        note(f"PostgreSQL at {server.hostname}:{server.port or 5432} did not answer "
             f"({error.__class__.__name__}): PostgreSQL is skipped.", notes)
        return None
    return server


def postgres_database(server, name):
    """Create `name` on the server unless it is there; return its URL."""
    admin = [f"--host={server.hostname or '127.0.0.1'}", f"--port={server.port or 5432}",
             f"--username={server.username or 'postgres'}"]
    env = {**os.environ}
    if server.password:
        env["PGPASSWORD"] = urllib.parse.unquote(server.password)
    made = run_child(["createdb", *admin, name], env=env)
    if made.returncode != 0 and "already exists" not in made.stderr:
        raise BenchError(f"createdb {name} failed: {made.stderr.strip()}")
    return server._replace(path=f"/{name}", query="").geturl()


# --- Generating the databases ----------------------------------------------------------

def generate(database, notes):
    """Fill the database with `bench.generate` (idempotent: a filled one is kept)."""
    if not (BASE_DIR / "bench" / "generate.py").is_file():
        raise BenchError("bench/generate.py is missing: cannot generate the records "
                         "(use --database URL to measure an existing database)")
    # No DJANGO_DEBUG: with it Django would keep every one of the generator's queries.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    if database.backend == "PostgreSQL":
        env["DATABASE_URL"] = database.url
    started = time.monotonic()
    print(f"== generating {database.records:,} records ({database.backend})", flush=True)
    done = run_child([PYTHON, "-m", "bench.generate", "--records", str(database.records)],
                     cwd=BASE_DIR, env=env, capture=False)
    if done.returncode != 0:
        raise BenchError(f"bench.generate --records {database.records} failed "
                         f"({database.backend})")
    print(f"   done in {time.monotonic() - started:.0f} s", flush=True)


# --- (c) in-process: queries and the pages' paths ----------------------------------------

def inspect(timed):
    """Run in a child process: the detail path, then each page's queries, status and bytes
    from its second request (the first warms per-process caches and, with Redis, fills the
    page cache) and, when `timed`, the median time of a few more with its SQL share."""
    import statistics

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from directory.models import Service

    slug = (Service.objects.published().order_by("slug").values_list("slug", flat=True)
            .first())
    paths = {name: path for name, path in PAGES.items() if path}
    if slug:
        paths["detail"] = f"/es/services/{slug}/"
    client = Client()
    pages = {}
    sql_seconds = []

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds.append(time.perf_counter() - started)

    for name, path in paths.items():
        first = client.get(path)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(path)
        pages[name] = {"status": again.status_code, "bytes": len(again.content),
                       "queries": len(queries), "first_status": first.status_code,
                       "cache": again.get("X-Page-Cache", "")}
        if timed:
            runs = []
            for _ in range(INSPECT_ROUNDS):
                sql_seconds.clear()
                with connection.execute_wrapper(timed_sql):
                    started = time.perf_counter()
                    client.get(path)
                    runs.append((time.perf_counter() - started, sum(sql_seconds)))
            total, sql = min(runs, key=lambda run: abs(run[0] - statistics.median(
                r[0] for r in runs)))
            pages[name].update(ms=total * 1000, sql_ms=sql * 1000)
    print("INSPECT " + json.dumps({"paths": paths, "pages": pages}))


def run_inspect(database, env, *, timed):
    done = run_child([PYTHON, "-m", "bench.run", "--inspect", *(["--timed"] if timed else [])],
                     cwd=BASE_DIR, env=env)
    line = next((line for line in done.stdout.splitlines() if line.startswith("INSPECT ")),
                None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"counting queries on {database.label} failed:\n"
                         f"{done.stderr[-3000:]}")
    return json.loads(line[len("INSPECT "):])


def static_path():
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


# --- (a) search timing --------------------------------------------------------------------

def search_timing(base_url, notes, label):
    if not (BASE_DIR / "bench" / "search_timing.py").is_file():
        note(f"bench/search_timing.py is missing: no search timing for {label}", notes)
        return None
    code = ("import json, sys\nfrom bench.search_timing import measure\n"
            "r = measure(sys.argv[1])\n"
            "print('TIMING ' + json.dumps({'p50': r['p50'], 'p95': r['p95'], "
            "'metric': r.get('metric'), 'per_query': r.get('per_query')}, default=str))")
    done = run_child([PYTHON, "-c", code, base_url], cwd=BASE_DIR,
                     env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")})
    line = next((line for line in done.stdout.splitlines() if line.startswith("TIMING ")), None)
    if done.returncode != 0 or line is None:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        note(f"search timing failed on {label}: {last}", notes)
        return None
    return json.loads(line[len("TIMING "):])


# --- (b) load --------------------------------------------------------------------------------

def wrk(url, size, seconds, connections=CONNECTIONS):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(WRK_LUA % {"size": size})
    try:
        done = run_child(
            ["wrk", f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{seconds}s",
             "--timeout", f"{WRK_TIMEOUT}s", "-s", lua.name, url],
            timeout=seconds + WRK_TIMEOUT + 60)
    finally:
        os.unlink(lua.name)
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise BenchError(f"wrk gave no result for {url}: {done.stdout}{done.stderr}")
    figures = json.loads(line[len("BENCH "):])
    figures["rps"] = figures["good"] / figures["seconds"] if figures["seconds"] else 0.0
    return figures


class Server:
    """One gunicorn under test. A slow page leaves wrk's unanswered requests queued at the
    server when a run ends; rather than wait for them, it is restarted on a new port."""

    def __init__(self, processes, env):
        self.processes, self.env, self.process, self.peak_mib = processes, env, None, None

    def start(self):
        self.base = f"http://127.0.0.1:{free_port()}"
        with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
            self.log_path = log.name
            self.process = self.processes.start_gunicorn(
                self.env, int(self.base.rsplit(":", 1)[1]), log)
        wait_for(self.base, self.process, self.log_path)

    def stop(self):
        if self.process is None:
            return
        peak = peak_memory_mib(self.process.pid)
        if peak is not None:
            self.peak_mib = max(peak, self.peak_mib or 0)
        self.processes.stop(self.process)
        self.process = None
        Path(self.log_path).unlink(missing_ok=True)

    def settle(self):
        """Ready for the next run: idle at once, or restarted."""
        try:
            fetch(self.base + TRIVIAL_PATH, timeout=DRAIN_SECONDS)
        except OSError:
            self.stop()
            self.start()


def measure_server(database, mode, env, paths, pages, *, with_wrk, processes, notes):
    """Start gunicorn, check each page's answer, (a) search timing with the cache off,
    (b) load on each page; fills database.results, .search and .memory."""
    server = Server(processes, env)
    try:
        server.start()
        names = ["trivial view", "static file", *pages] if mode == "off" else \
            ["trivial view", *CACHED_PAGES]
        sizes = {}
        for name in names:
            path = paths.get(name)
            if not path:
                continue
            status, headers, body = fetch(server.base + path, timeout=300)
            if mode == "on" and name in CACHED_PAGES:  # the second answer is a hit
                status, headers, body = fetch(server.base + path)
                cached = headers.get("X-Page-Cache", "")
                if cached != "hit":
                    note(f"{database.label}: {path} with the cache on answered "
                         f"X-Page-Cache: {cached or 'none'} the second time", notes)
            if status != 200:
                note(f"{database.label}, cache {mode}: {path} answered {status}; "
                     "it is left out", notes)
                continue
            sizes[name] = len(body)
            database.results.setdefault(name, {})["bytes"] = len(body)
        if mode == "off":
            database.search = search_timing(server.base, notes, database.label)
        if not with_wrk:
            return
        for name, size in sizes.items():
            # Warm up with one connection per worker, so that little is left queued.
            wrk(server.base + paths[name], size, WARMUP, connections=WORKERS)
            server.settle()
            # The size again, just before the run: a page may change by the clock (a service
            # opening at the hour), and then the cache makes it anew.
            status, _headers, body = fetch(server.base + paths[name], timeout=300)
            if status == 200 and len(body) != size:
                size = database.results[name]["bytes"] = len(body)
            figures = wrk(server.base + paths[name], size, DURATION)
            server.settle()
            database.results[name][mode] = figures
            bad = figures["bad"] + figures["socket_errors"]
            print(f"   {database.label:<18} cache {mode:<3} {name:<13} "
                  f"{figures['rps']:8.1f} req/s"
                  + (f"  ({bad} bad answers or socket errors)" if bad else ""), flush=True)
            if bad:
                sample = (f" (e.g. {figures['bad_status']} of {figures['bad_length']} bytes)"
                          if figures["bad"] else "")
                note(f"{database.label}, cache {mode}, {name}: {figures['bad']} answers "
                     f"not 200 of {size} bytes{sample}, {figures['socket_errors']} socket "
                     f"errors or time-outs ({WRK_TIMEOUT} s), not counted", notes)
    finally:
        server.stop()
        database.memory[mode] = server.peak_mib


def bench_database(database, *, with_wrk, with_redis, processes, notes):
    secret_key = secrets.token_urlsafe(50)
    with tempfile.TemporaryDirectory(prefix="amparo-bench-") as state_dir:
        inspect_env = production_env(database.url, secret_key=secret_key, state_dir=state_dir,
                                     extra_hosts=("testserver",))
        found = run_inspect(database, inspect_env, timed=True)
        database.paths = {**found["paths"], "static file": static_path()}
        if "detail" not in database.paths:
            note(f"{database.label}: no published service, so no detail page", notes)
        for name, page in found["pages"].items():
            database.results.setdefault(name, {}).update(
                queries=page["queries"] if name not in ("trivial view", "static file") else None,
                ms=page.get("ms"), sql_ms=page.get("sql_ms"))
        if with_redis:
            flush_redis()
            hits = run_inspect(database, {**inspect_env, "REDIS_URL": REDIS_URL}, timed=False)
            for name, page in hits["pages"].items():
                database.results.setdefault(name, {})["hit_queries"] = (
                    page["queries"] if page["cache"] == "hit" else None)
        pages = [name for name in ("home", "list", "detail", "search") if name in database.paths]
        print(f"== {database.label}: cache off", flush=True)
        env = production_env(database.url, secret_key=secret_key, state_dir=state_dir)
        measure_server(database, "off", env, database.paths, pages, with_wrk=with_wrk,
                       processes=processes, notes=notes)
        if with_redis:
            print(f"== {database.label}: cache on", flush=True)
            flush_redis()
            env = production_env(database.url, redis_url=REDIS_URL, secret_key=secret_key,
                                 state_dir=state_dir)
            measure_server(database, "on", env, database.paths, pages, with_wrk=with_wrk,
                           processes=processes, notes=notes)
            flush_redis()


def collectstatic():
    with tempfile.TemporaryDirectory() as state_dir:
        env = production_env("sqlite:///:memory:", secret_key=secrets.token_urlsafe(50),
                             state_dir=state_dir)
        done = run_child([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity",
                          "0"], cwd=BASE_DIR, env=env)
    if done.returncode != 0:
        raise BenchError(f"collectstatic failed:\n{done.stderr[-3000:]}")


# --- The report ---------------------------------------------------------------------------

def machine_description(databases):
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import sqlite3

    import django

    servers = [f"SQLite {sqlite3.sqlite_version}"]
    postgres = next((d.url for d in databases if d.backend == "PostgreSQL"), None)
    if postgres:
        try:
            import psycopg

            with psycopg.connect(postgres, connect_timeout=3) as connection:
                version = connection.execute("SHOW server_version").fetchone()[0]
            servers.append(f"PostgreSQL {version.split()[0]}")
        except Exception:  # the version is a courtesy; the figures are what matter
            pass
    try:
        import redis

        version = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).info("server")
        servers.append(f"Redis {version['redis_version']}")
    except Exception:
        pass
    return (f"{os.cpu_count()} × {cpu}{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            + ", ".join(servers))


def fmt(value, pattern="{:,.0f}"):
    return "—" if value is None else pattern.format(value)


def ratio(database, name, mode):
    page = database.results.get(name, {}).get(mode)
    trivial = database.results.get("trivial view", {}).get(mode)
    if not page or not trivial or not trivial["rps"]:
        return None
    return page["rps"] / trivial["rps"]


def table(databases):
    header = ("| Database | Records | Page | Path | Queries miss/hit | Bytes | "
              "One request ms (SQL) | Cache off req/s | Off ÷ trivial | Cache on req/s | "
              "On ÷ trivial | Search p50/p95 ms | Worker peak MiB off/on |")
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for database in databases:
        memory = "/".join(fmt(database.memory.get(mode)) for mode in ("off", "on"))
        for name in PAGES:
            page = database.results.get(name)
            if page is None:
                continue
            queries = page.get("queries")
            hit = page.get("hit_queries")
            query_text = "—" if queries is None else (
                f"{queries}/{hit}" if name in CACHED_PAGES and hit is not None else f"{queries}")
            search = "—"
            if name == "search" and database.search:
                search = f"{database.search['p50']:.1f} / {database.search['p95']:.1f}"
            off, on = page.get("off"), page.get("on")
            timing = "—" if page.get("ms") is None else (
                f"{page['ms']:.1f} ({page['sql_ms']:.1f})")
            lines.append(
                f"| {database.backend} | {fmt(database.records)} | {name} | "
                f"`{database.paths.get(name, '')}` | {query_text} | {fmt(page.get('bytes'))} | "
                f"{timing} | {fmt(off and off['rps'])} | "
                f"{fmt(ratio(database, name, 'off'), '{:.0%}')} | "
                f"{fmt(on and on['rps'])} | {fmt(ratio(database, name, 'on'), '{:.0%}')} | "
                f"{search} | {memory} |")
    return "\n".join(lines)


def checks(databases):
    """Issue 6's targets that this run measured: (ok, text) pairs."""
    found = []
    largest = max((d.records for d in databases if d.records is not None), default=None)
    for database in databases:
        label = database.label
        for name in ("home", "list", "detail"):
            for mode, target in (("on", CACHE_ON_TARGET), ("off", CACHE_OFF_TARGET)):
                value = ratio(database, name, mode)
                if value is not None:
                    found.append((value >= target, f"{label}: {name} cache {mode} at "
                                  f"{value:.0%} of the trivial view (target ≥ {target:.0%})"))
        home = database.results.get("home", {}).get("bytes")
        if home is not None:
            found.append((home <= HOME_MAX_BYTES,
                          f"{label}: home HTML {home:,} bytes (target ≤ {HOME_MAX_BYTES:,})"))
        css = database.results.get("static file", {}).get("bytes")
        if css is not None and database is databases[0]:
            found.append((css <= CSS_MAX_BYTES,
                          f"CSS {css:,} bytes (target ≤ {CSS_MAX_BYTES:,})"))
        for name in CACHED_PAGES:
            hit = database.results.get(name, {}).get("hit_queries")
            if hit is not None:
                found.append((hit == 0, f"{label}: a cached {name} page made {hit} queries"))
        if database.search and database.records == largest == RECORDS[-1]:
            p95 = database.search["p95"]
            found.append((p95 <= SEARCH_P95_MAX_MS, f"{label}: search p95 {p95:.1f} ms "
                          f"(target ≤ {SEARCH_P95_MAX_MS:.0f} ms)"))
    by_backend = {}
    for database in databases:
        if database.records is not None:
            by_backend.setdefault(database.backend, {})[database.records] = database
    for backend, sizes in by_backend.items():
        if len(sizes) < 2:
            continue
        small, large = sizes[min(sizes)], sizes[max(sizes)]
        for name in ("home", "list", "detail", "search"):
            few, many = (d.results.get(name, {}).get("queries") for d in (small, large))
            if few is not None and many is not None:
                found.append((few == many, f"{backend}: {name} makes {few} queries at "
                              f"{small.records:,} records and {many} at {large.records:,}"))
            if name == "search":
                continue
            before, after = ratio(small, name, "off"), ratio(large, name, "off")
            if before and after:
                found.append((after >= before * (1 - GROWTH_TOLERANCE),
                              f"{backend}: {name} cache off at {after:.0%} of the trivial "
                              f"view with {large.records:,} records, {before:.0%} with "
                              f"{small.records:,} (no lower by more than 10 %)"))
    return found


def report(databases, notes, started):
    now = datetime.datetime.now(datetime.UTC)
    text = [f"# make bench, {now:%Y-%m-%d %H:%M} UTC", "",
            f"Machine: {machine_description(databases)}.", "",
            f"gunicorn: {WORKERS} sync workers, production settings (DJANGO_DEBUG unset, "
            f"DJANGO_SECURE_SSL_REDIRECT=0); wrk: {THREADS} threads, {CONNECTIONS} "
            f"connections, {WARMUP} s warm-up then {DURATION} s per row and cache mode, from "
            "127.0.0.1. Only 200 answers of the page's size count. Home is `/es/` "
            "(`/` only redirects to a language). Queries miss/hit: SQL statements of one "
            "request in-process (the second one; a hit is with the page cache on). Search "
            "p50/p95: server time from the `Server-Timing` header, concurrency 1, over "
            "bench.search_timing.QUERIES, cache off. Worker peak: largest VmHWM of the "
            "workers after the runs.", "", table(databases), ""]
    found = checks(databases)
    if found:
        text += ["Targets:", ""] + [f"- {'met' if ok else 'NOT MET'}: {what}"
                                    for ok, what in found] + [""]
    if notes:
        text += ["Notes:", ""] + [f"- {line}" for line in notes] + [""]
    text.append(f"Whole run: {(time.monotonic() - started) / 60:.1f} min; load average "
                f"{LOAD_AT_START:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
                f"({os.cpu_count()} cores; the bench's own load counts in the second).")
    output = "\n".join(text) + "\n"
    print("\n" + output)
    out_dir = BASE_DIR / "var"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / f"bench-{now:%Y%m%dT%H%M%SZ}.md"
    path.write_text(output)
    print(f"Written to {path.relative_to(BASE_DIR)}")


# --- Main -----------------------------------------------------------------------------------

def databases_to_run(args, notes):
    if args.database:
        found = []
        for url in args.database:
            backend = "PostgreSQL" if url.startswith(("postgres", "pgsql")) else "SQLite"
            found.append(Database(backend, None, url, label=f"{backend} {url.rsplit('/', 1)[-1]}"))
        return found
    found = [Database("SQLite", n, f"sqlite:///{BASE_DIR / 'var' / f'bench-{n}.sqlite3'}",
                      label=f"SQLite {n:,}") for n in args.records]
    server = postgres_server(notes)
    if server is not None:
        for n in args.records:
            try:
                url = postgres_database(server, f"{PG_PREFIX}{n}")
            except BenchError as error:
                note(f"{error}: PostgreSQL with {n:,} records is skipped", notes)
                continue
            found.append(Database("PostgreSQL", n, url, label=f"PostgreSQL {n:,}"))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=list(RECORDS))
    parser.add_argument("--database", action="append",
                        help="measure this existing database instead of generating (repeatable)")
    parser.add_argument("--inspect", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--timed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect:
        inspect(args.timed)
        return 0

    global LOAD_AT_START
    LOAD_AT_START = os.getloadavg()[0]
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    started, notes, processes = time.monotonic(), [], Processes()
    done = []
    try:
        with_wrk, with_redis = have_wrk(notes), have_redis(notes)
        databases = databases_to_run(args, notes)
        collectstatic()
        for database in databases:
            try:
                if database.records is not None:
                    generate(database, notes)
                bench_database(database, with_wrk=with_wrk, with_redis=with_redis,
                               processes=processes, notes=notes)
                done.append(database)
            except BenchError as error:
                note(f"{database.label} is skipped: {error}", notes)
    except KeyboardInterrupt:
        note("interrupted", notes)
        processes.stop_all()
        if done:
            report(done, notes, started)
        return 130
    except BenchError as error:
        note(str(error), notes)
        return 1
    finally:
        processes.stop_all()
    if not done:
        note("nothing was measured", notes)
        return 1
    report(done, notes, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
