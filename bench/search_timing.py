"""Search server time over a fixed list of 30 searches, read from the `Server-Timing` header.

    measure("http://127.0.0.1:8000")        # a running server (what `make bench` does)
    measure(client)                          # a django.test.Client, in this process
    python -m bench.search_timing http://127.0.0.1:8000
    python -m bench.search_timing --records 100000   # in-process on var/bench-100000.sqlite3,
                                                     # or on DATABASE_URL when it is set

QUERIES are paths of the search page: the common words visitors type, in English and
Spanish, alone and with the filters the page offers (`kind`, `category` and `region` by
slug, `language` by code, `free=1`, `open=1`), against the regions, categories and
languages `bench.generate` writes. Each is asked once to warm up, then `rounds` times at
concurrency 1; every request carries a distinct `bench=` parameter (which the page
ignores) so that a page cache, if one is on, never answers instead of the search.

`measure()` answers {"p50": ms, "p95": ms, "per_query": {path: median ms}, "samples": n,
"metric": "search"}: the `search` figure of the header (matching, ranking, the page of
results and every filter count with its names), or `total` (the whole view) when a
response has no `search` figure. A response other than 200 raises RuntimeError.
"""

import argparse
import os
import re
import statistics
import sys
import urllib.request

QUERIES = [
    # Common words alone.
    "/es/search/?q=abogado",
    "/en/search/?q=legal",
    "/en/search/?q=help",
    "/es/search/?q=ayuda",
    "/es/search/?q=fianza",
    "/es/search/?q=abogado+gratis",
    "/es/search/?q=redada+Aurora",
    "/es/search/?q=inmigracion",
    "/en/search/?q=detention",
    "/en/search/?q=hotline",
    "/en/search/?q=free+legal+consultation",
    "/en/search/?q=bond+fund",
    "/es/search/?q=clinica",
    "/en/search/?q=know+your+rights",
    "/es/search/?q=migra",
    "/en/search/?q=lawyer",
    "/es/search/?q=deportacion",
    "/en/search/?q=food",
    # With filters.
    "/es/search/?q=abogado&free=1&region=aurora",
    "/en/search/?q=legal&region=colorado",
    "/en/search/?q=help&open=1",
    "/es/search/?q=ayuda&kind=service&region=chicago",
    "/en/search/?q=legal&category=legal-help&language=es",
    "/es/search/?q=fianza&kind=legalfund",
    "/en/search/?q=detention&region=houston-metro",
    "/en/search/?q=hotline&kind=hotline&open=1",
    "/es/search/?q=salud&free=1&language=es&open=1",
    # Filters alone.
    "/en/search/?kind=service&region=denver",
    "/es/search/?free=1&open=1",
    "/en/search/?category=detention&region=los-angeles",
]

_METRIC = re.compile(r"(?P<name>[A-Za-z0-9_-]+)(?:;[^,]*?dur=(?P<ms>[0-9.]+))?")


def server_timing(header):
    """{name: milliseconds} from a `Server-Timing` header; names without a duration are left
    out."""
    found = {}
    for part in (header or "").split(","):
        match = _METRIC.match(part.strip())
        if match and match["ms"] is not None:
            found[match["name"]] = float(match["ms"])
    return found


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value with `fraction` of them at or below."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def _fetcher(target):
    """A function from a path to (status, Server-Timing header)."""
    if isinstance(target, str):
        base = target.rstrip("/")

        def fetch(path):
            request = urllib.request.Request(base + path, headers={"Accept-Language": ""})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                    return response.status, response.headers.get("Server-Timing", "")
            except urllib.error.HTTPError as error:
                return error.code, ""

        return fetch

    def fetch(path):
        response = target.get(path, secure=True)
        return response.status_code, response.get("Server-Timing", "")

    return fetch


def measure(target, rounds=3, queries=None):
    """Time each query `rounds` times (after one warm-up); see the module's docstring."""
    fetch = _fetcher(target)
    queries = list(QUERIES if queries is None else queries)
    samples, per_query, metric = [], {}, "search"
    for round_number in range(rounds + 1):
        for index, path in enumerate(queries):
            separator = "&" if "?" in path else "?"
            status, header = fetch(f"{path}{separator}bench={round_number}-{index}")
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            if round_number == 0:
                continue  # warm-up
            timing = server_timing(header)
            value = timing.get("search", timing.get("total"))
            if value is None:
                raise RuntimeError(f"{path} sent no Server-Timing figure: {header!r}")
            if "search" not in timing:
                metric = "search or total"
            samples.append(value)
            per_query.setdefault(path, []).append(value)
    return {
        "p50": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "per_query": {path: statistics.median(values) for path, values in per_query.items()},
        "samples": len(samples),
        "metric": metric,
    }


def _in_process_client(records):
    """A test Client on the bench database with production settings (DEBUG off)."""
    from bench.generate import sqlite_path

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-search-timing-signs-nothing")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    if not os.environ.get("DATABASE_URL"):
        path = sqlite_path(records)
        if not path.exists():
            raise SystemExit(f"{path} does not exist: run python -m bench.generate --records "
                             f"{records} first.")
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.test import Client

    return Client()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.search_timing",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", nargs="?", help="a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--records", type=int, default=100_000,
                        help="without a base URL: the bench database of this size")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    target = args.base_url or _in_process_client(args.records)
    result = measure(target, rounds=args.rounds)
    width = max(len(path) for path in result["per_query"])
    for path, value in result["per_query"].items():
        print(f"  {path:<{width}}  {value:8.1f} ms")
    print(f"{result['metric']} server time over {result['samples']} requests: "
          f"p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
