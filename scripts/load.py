"""`make load`: gunicorn on the sample data under 60 s of load from wrk on 127.0.0.1.

Only a 200 answer of the size the page had before the load counts as a success. The
report gives requests, errors, p95 latency and each worker's memory at start and end.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("LOAD_PORT", "8799"))
DURATION = os.environ.get("LOAD_DURATION", "60s")
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "64"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))
PATHS = [
    "/en/", "/es/", "/en/hotlines/", "/es/legal-funds/", "/en/policies/",
    "/es/hotlines/circ-hotline/", "/en/detention-facilities/denver-contract-detention-facility/",
    "/es/search/?q=fondo", "/en/search/?q=hotline", "/es/rights/", "/en/rights/print/",
]

LUA = """
local paths = %(paths)s
local sizes = %(sizes)s
counter, good, bad = 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) good = 0; bad = 0 end
request = function()
  counter = counter + 1
  local i = (counter %% #paths) + 1
  wrk.path = paths[i]
  return wrk.format(nil, paths[i])
end
response = function(status, headers, body)
  local expected = false
  for _, size in ipairs(sizes) do if #body == size then expected = true end end
  if status == 200 and expected then good = good + 1 else bad = bad + 1 end
end
done = function(summary, latency, requests)
  local good_total, bad_total = 0, 0
  for _, thread in ipairs(threads) do
    good_total = good_total + thread:get("good"); bad_total = bad_total + thread:get("bad")
  end
  io.write(string.format(
    'LOAD {"requests": %%d, "good": %%d, "bad": %%d, "socket_errors": %%d, ' ..
    '"p50_ms": %%.1f, "p95_ms": %%.1f, "p99_ms": %%.1f, "rps": %%.1f}\\n',
    summary.requests, good_total, bad_total,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout + summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
"""


def worker_memory(master_pid):
    """Resident memory of each gunicorn worker, in MiB."""
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True,
                              text=True).stdout.split()
    memory = {}
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                memory[pid] = int(line.split()[1]) / 1024
    return memory


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def main():
    if not port_is_free(PORT):
        sys.exit(f"Port {PORT} is taken; set LOAD_PORT to a free one.")
    env = {**os.environ, "DJANGO_SECURE_SSL_REDIRECT": "0",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--no-control-socket"], cwd=BASE_DIR, env=env)
    try:
        sizes = {}
        for _attempt in range(50):
            try:
                for path in PATHS:
                    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}") as page:
                        sizes[path] = len(page.read())
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer")
        before = worker_memory(server.pid)
        script = LUA % {
            "paths": "{" + ", ".join(json.dumps(p) for p in PATHS) + "}",
            "sizes": "{" + ", ".join(str(s) for s in sorted(set(sizes.values()))) + "}",
        }
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(script)
        result = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "10s",
             "-s", lua.name, f"http://127.0.0.1:{PORT}"], capture_output=True, text=True)
        os.unlink(lua.name)
        after = worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    line = next((line for line in result.stdout.splitlines() if line.startswith("LOAD ")), None)
    if line is None:
        sys.exit(result.stdout + result.stderr)
    figures = json.loads(line[5:])
    growth = max((after[pid] - before[pid]) / before[pid] * 100
                 for pid in before if pid in after) if before else 0.0
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'duration, connections, workers':<34}{f'{DURATION}, {CONNECTIONS}, {WORKERS}':>12}")
    for key in ("requests", "good", "bad", "socket_errors", "rps", "p50_ms", "p95_ms", "p99_ms"):
        print(f"{key:<34}{figures[key]:>12}")
    for label, memory in (("worker memory at start (MiB)", before),
                          ("worker memory at end (MiB)", after)):
        print(f"{label:<34}{', '.join(f'{value:.0f}' for value in memory.values()):>12}")
    print(f"{'largest worker growth (%)':<34}{growth:>12.1f}")
    ok = figures["bad"] == 0 and figures["socket_errors"] == 0 and growth < 10
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
