"""Every public address, fuzzed: whatever a visitor or a bot sends, the answer is never a 500.

The addresses come from the URLconf itself (never a hand-kept list; the admin left out),
under every language prefix. Path values come from the sample data, from each converter's
own regex and from edge values. Query strings are built byte by byte, so they can carry what
a browser never sends (invalid UTF-8, raw control bytes, broken percent escapes); besides q,
page, p and unknown names they use every parameter each view is seen to read. Unknown pages
are a 404 in the visitor's language, with a way home.

Per URL pattern, hypothesis fuzzes the query string and (where it has converters) the path;
fixed grids send the classic nasty inputs to every pattern. A 500 found is reported with
its traceback and hypothesis's smallest example, then gets a test of its own at the end of
this module and an entry in KNOWN_500S until it is fixed.

Profiles: HYPOTHESIS_PROFILE=ci|dev; by default "ci" when CI is set (fixed seed, more
examples), otherwise "dev" (fewer, quick while working). With -s the module says how many
requests it sent and which parameters each pattern reads.
"""

import os
import re
import traceback
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from unittest import mock
from urllib.parse import quote, quote_from_bytes

import pytest
from django.apps import apps
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.management import call_command
from django.db import models, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.sitecheck import PageParser

# --- Profiles -----------------------------------------------------------------------------

# Examples per fuzzing run: "query" runs once per URL pattern (50 of them), "path" once per
# pattern with converters, "unknown" once. With "ci" the module takes about a minute and a
# half on two cores, under three minutes on a loaded machine; with "dev" about 20 seconds.
EXAMPLES = {
    "ci": {"query": 40, "path": 60, "unknown": 200},
    "dev": {"query": 4, "path": 8, "unknown": 25},
}

# "ci" is hypothesis's own (active whenever CI is set): a fixed seed, no example database.
# Re-registered as it is, not changed: registering the active profile changes every
# hypothesis test in the session, and the examples counts above are this module's own.
hypothesis_settings.register_profile(
    "ci", hypothesis_settings.get_profile("ci"), derandomize=True, database=None,
    print_blob=True)
# "dev": random, remembering failures in .hypothesis/ (which ignores itself in git).
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")


def fuzz_settings(kind):
    # The profile is this module's parent, not loaded for the session: other modules'
    # hypothesis tests (the API's schemathesis run) keep their own settings.
    return hypothesis_settings(
        hypothesis_settings.get_profile(PROFILE),
        max_examples=EXAMPLES[PROFILE][kind],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# Anything else (a 403, a 500, a 503 from the database fallback) is a finding. 429 is the
# API's rate limit, which the fuzzing client raises out of its way (see fuzz_client).
ALLOWED_STATUSES = {200, 301, 302, 304, 400, 404, 405, 429}

# --- Walking the URLconf --------------------------------------------------------------------

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One public URL pattern under one language prefix (None when it has none)."""

    name: str
    language: str | None
    # Literal text and (parameter, converter) pairs, in order.
    parts: tuple

    @property
    def template(self):
        return "/" + "".join(part if isinstance(part, str) else f"<{part[0]}>"
                             for part in self.parts)

    @property
    def parameters(self):
        return [part for part in self.parts if not isinstance(part, str)]

    def build(self, values):
        """The path with these raw (URL-safe or already percent-encoded) values."""
        return "/" + "".join(part if isinstance(part, str) else values[part[0]]
                             for part in self.parts)

    def __str__(self):
        return f"{self.template} ({self.name})"


def _route_parts(pattern):
    if not isinstance(pattern, RoutePattern):
        raise AssertionError(
            f"{pattern!r} is not a path() route: teach tests/test_fuzz.py to fuzz it")
    route, parts, position = str(pattern), [], 0
    for match in _PARAMETER.finditer(route):
        parts.append(route[position:match.start()])
        parts.append((match["parameter"], pattern.converters[match["parameter"]]))
        position = match.end()
    parts.append(route[position:])
    return tuple(part for part in parts if part != "")


def _walk(entries, parts=(), namespaces=(), language=None, top_level=True):
    for entry in entries:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            for code, _name in settings.LANGUAGES:
                prefix = ("" if code == settings.LANGUAGE_CODE
                          and not pattern.prefix_default_language else f"{code}/")
                yield from _walk(entry.url_patterns, parts + ((prefix,) if prefix else ()),
                                 namespaces, code, top_level)
            continue
        if top_level and str(pattern) == settings.ADMIN_URL:
            continue  # Staff only, behind a login; not a public page.
        entry_parts = parts + _route_parts(pattern)
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, entry_parts, inner, language, False)
        else:
            yield Route(":".join(namespaces + (entry.name or entry.lookup_str,)), language,
                        entry_parts)


ROUTES = sorted(_walk(get_resolver().url_patterns), key=str)
# URL pattern name: its addresses, one per language prefix (or one without any).
PATTERNS = {}
for _route in ROUTES:
    PATTERNS.setdefault(_route.name, []).append(_route)


def test_the_urlconf_walk_finds_every_public_pattern():
    templates = [route.template for route in ROUTES]
    assert len(PATTERNS) >= 25, sorted(PATTERNS)
    assert len(templates) == len(set(templates))
    for code, _name in settings.LANGUAGES:
        assert {route.name for route in ROUTES if route.language == code} >= {
            "directory:home", "directory:hotline-detail", "directory:search",
            "alerts:notice-detail", "alerts:notice-archive-month"}, code
    assert {"/robots.txt", "/sitemap.xml", "/healthz", "/cap/<pk>.xml"} <= set(templates)
    assert not any(template.startswith("/" + settings.ADMIN_URL) for template in templates)
    assert {type(converter) for route in ROUTES for _p, converter in route.parameters} >= {
        SlugConverter, UUIDConverter, IntConverter}


# --- What the loaded sample data offers ------------------------------------------------------

@dataclass
class Known:
    """Values from the database: per converter, and per route the kwargs of real pages."""

    by_converter: dict
    by_route: dict


def _project_models():
    return [model for model in apps.get_models()
            if model._meta.app_label in {"directory", "alerts"}]


def _object_paths():
    """Every object's page (published or not: a draft's page is a 404 worth asking for)."""
    paths = set()
    for model in _project_models():
        if hasattr(model, "get_absolute_url"):
            for obj in model._default_manager.all():
                for code, _name in settings.LANGUAGES:
                    with translation.override(code):
                        paths.add(obj.get_absolute_url())
    CapMessage = apps.get_model("alerts", "CapMessage")
    Notice = apps.get_model("alerts", "Notice")
    paths.update(reverse("cap:message", kwargs={"pk": pk})
                 for pk in CapMessage.objects.values_list("pk", flat=True))
    for published in Notice.objects.values_list("publish_at", flat=True):
        local = timezone.localtime(published)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                paths.add(reverse("alerts:notice-archive-month",
                                  kwargs={"year": local.year, "month": local.month}))
    return paths


def _known_values():
    routes = {(route.name, route.language): route for route in ROUTES}
    by_route = {}
    for path in sorted(_object_paths()):
        segment = path.split("/")[1]
        language = segment if segment in dict(settings.LANGUAGES) else None
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                match = resolve(path)
        except Resolver404:
            raise AssertionError(f"{path} does not resolve") from None
        route = routes.get((match.view_name, language))
        if route is None:  # pragma: no cover - an object whose page is not public
            continue
        by_route.setdefault(route, []).append(
            {name: str(value) for name, value in match.kwargs.items()
             if name in dict(route.parameters)})
    by_converter = {SlugConverter: set(), UUIDConverter: set(), IntConverter: set(),
                    StringConverter: set()}
    for model in _project_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.SlugField):
                by_converter[SlugConverter].update(
                    model._default_manager.values_list(field.attname, flat=True))
            elif isinstance(field, models.UUIDField):
                by_converter[UUIDConverter].update(
                    str(value) for value in model._default_manager.values_list(
                        field.attname, flat=True))
    for kwargs_list in by_route.values():
        for kwargs in kwargs_list:
            by_converter[IntConverter].update(value for value in kwargs.values()
                                              if value.isdigit())
    # A <str:...> takes anything without a slash: every slug and id the site has.
    by_converter[StringConverter] = by_converter[SlugConverter] | by_converter[UUIDConverter]
    return Known({kind: sorted(values) for kind, values in by_converter.items()}, by_route)


def _ids_in(document, depth=0):
    """The "id" strings of the objects in a JSON document's lists (not of what they nest)."""
    if isinstance(document, dict):
        for value in document.values():
            yield from _ids_in(value, depth)
    elif isinstance(document, list) and depth < 2:
        for item in document:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                yield item["id"]
            yield from _ids_in(item, depth + 1)


def _add_ids_from_listings(known, client):
    """For an address ending in its only parameter (/api/hsds/services/<pk>) with no known
    values, the ids its listing (/api/hsds/services) gives in JSON that answer a 200."""
    for route in ROUTES:
        if route in known.by_route or len(route.parameters) != 1:
            continue
        (name, _converter), = route.parameters
        prefix, _slash, last = route.template.rpartition("/")
        if last != f"<{name}>":
            continue
        listing = client.get(prefix)
        if not listing.get("Content-Type", "").startswith("application/json"):
            continue
        found = []
        for value in list(dict.fromkeys(_ids_in(listing.json())))[:10]:
            if client.get(route.build({name: _encode_text(value)})).status_code == 200:
                found.append({name: _encode_text(value)})
            if len(found) == 3:
                break
        if found:
            known.by_route[route] = found
            known.by_converter[type(_converter)] = sorted(
                set(known.by_converter.get(type(_converter), [])) | {
                    values[name] for values in found})


@pytest.fixture(scope="module")
def _module_sample_data(django_db_setup, django_db_blocker):
    """load_sample_data once for the module (it takes over a second), in a transaction rolled
    back once the module is done. Each test's own transaction (the db fixture) is a savepoint
    inside it, rolled back after the test: every test starts from the fresh sample data."""
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            call_command("load_sample_data", verbosity=0)
            known = _known_values()
            _add_ids_from_listings(known, Client())
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    yield known
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def known(_module_sample_data, db):
    """The sample data is loaded; what it offers the fuzzers."""
    known = _module_sample_data
    assert len(known.by_converter[SlugConverter]) >= 20
    assert known.by_converter[UUIDConverter]
    assert len(known.by_route) >= 10
    return known


def first_values(route, known):
    """A real page's values when the sample data has one, else an edge value for each."""
    if route in known.by_route:
        return known.by_route[route][0]
    return {name: edge_values(converter)[0] for name, converter in route.parameters}


# --- Requests ---------------------------------------------------------------------------------

REQUESTS = {"count": 0}


@pytest.fixture(autouse=True, scope="module")
def _count_requests():
    yield
    print(f"\ntest_fuzz: profile {PROFILE}, {len(ROUTES)} addresses of {len(PATTERNS)} "
          f"patterns, {REQUESTS['count']} requests")
    for name, parameters in sorted(PARAMETERS_READ.items()):
        if parameters:
            print(f"  {name} reads {', '.join(parameters)}")


# The exception of the latest request, even one a middleware turned into an answer (such
# as the 503 the database fallback gives), so a finding comes with its traceback.
LAST_EXCEPTION = {"exception": None}


@pytest.fixture
def fuzz_client(client, settings):
    """The test client, answering a 500 instead of raising the view's exception; the API's
    per-client rate limit is out of its way, so thousands of requests reach the views."""
    settings.HSDS_API_RATE_LIMIT = 10**9
    client.raise_request_exception = False
    original = BaseHandler.process_exception_by_middleware

    def process_exception_by_middleware(handler, exception, request):
        LAST_EXCEPTION["exception"] = exception
        return original(handler, exception, request)

    with mock.patch.object(BaseHandler, "process_exception_by_middleware",
                           process_exception_by_middleware):
        yield client


@contextmanager
def parameters_read():
    """The names of the query parameters that code asks for while this block runs."""
    names = set()

    def recording(original):
        def read(self, key, *args, **kwargs):
            names.add(key)
            return original(self, key, *args, **kwargs)
        return read

    with ExitStack() as stack:
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            stack.enter_context(mock.patch.object(
                QueryDict, method, recording(getattr(QueryDict, method))))
        yield names


# 500s (and 503s) already reported, each with its own failing test below; the fuzzers step
# over them, and only them, so as to go on finding new ones. Delete an entry once its bug
# is fixed (its test then passes).
KNOWN_500S = {}


def fetch(client, path, query="", method="GET", known_500s=KNOWN_500S, **headers):
    """Request path with this raw query string (a latin-1 str: one char per byte on the wire)
    and check the answer: an allowed status, and a friendly 404."""
    REQUESTS["count"] += 1
    # In a savepoint, rolled back: no request can change what the next one sees, and one
    # that broke the transaction (PostgreSQL) does not break the ones after it.
    LAST_EXCEPTION["exception"] = None
    with transaction.atomic():
        response = client.generic(method, path, QUERY_STRING=query, **headers)
        transaction.set_rollback(True)
    exception = (response.exc_info[1] if getattr(response, "exc_info", None)
                 else LAST_EXCEPTION["exception"])
    if exception is not None and any(
            matches(path, exception) for matches in known_500s.values()):
        return response
    shown = f"{path}?{query}" if query else path
    if len(shown) > 300:
        shown = shown[:300] + f"... ({len(shown)} chars)"
    if response.status_code not in ALLOWED_STATUSES:
        error = ("".join(traceback.format_exception(exception))
                 if exception is not None else "(no exception reached the handler)\n")
        raise AssertionError(f"{method} {shown!r} {headers or ''} answered "
                             f"{response.status_code}\n{error}")
    if response.status_code == 404 and method == "GET":
        check_friendly_404(path, response, shown)
    return response


def check_friendly_404(path, response, shown):
    """A 404 is the site's page, in the language of the address, with a way home (outside
    the language prefixes a machine-readable 404, such as the API's JSON, will do too)."""
    segment = path.split("/")[1] if path.count("/") > 1 else ""
    is_html = response["Content-Type"].startswith("text/html")
    if not is_html and segment not in dict(settings.LANGUAGES):
        return
    assert is_html, shown
    parser = PageParser()
    parser.feed(response.content.decode())
    if segment in dict(settings.LANGUAGES):
        assert parser.html_lang == segment, shown
        with translation.override(segment):
            assert reverse("directory:home") in parser.links, shown
    else:
        assert parser.html_lang in dict(settings.LANGUAGES), shown
        assert {f"/{code}/" for code, _name in settings.LANGUAGES} & set(parser.links), shown


def run_per_pattern(patterns, fuzz):
    """Run fuzz(routes) for each pattern; report every pattern that failed, not just one."""
    failures = {}
    for name, routes in patterns.items():
        try:
            fuzz(routes)
        except Exception as error:  # collected, then reported together
            failures[name] = "".join(traceback.format_exception(error))
    assert not failures, f"{len(failures)} of {len(patterns)} patterns failed: " + ", ".join(
        failures) + "\n\n" + "\n\n".join(f"== {name}\n{text}" for name, text in failures.items())


# --- Strategies: path values ------------------------------------------------------------------

def _encode_text(text):
    """Text as it travels in a URL: UTF-8, percent-encoded (lone surrogates too)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# Already percent-encoded, as they go into the path.
EDGE_VALUES = {
    IntConverter: ["0", "00", "1", "12", "13", "1969", "2019", "9999", "10000",
                   str(2**31), str(2**63), str(10**30), "9" * 5000],
    SlugConverter: ["-", "-1", "--", "_", "0", "-0", "x" * 300, "a" * 10_000, "null", "None",
                    "undefined", "index", "feed", "new", "add"],
    UUIDConverter: ["00000000-0000-0000-0000-000000000000",
                    "ffffffff-ffff-ffff-ffff-ffffffffffff"],
    StringConverter: ["0", "-1", "x", "%ff", "%00", "%c3%28", "%ff%fe%c3", "..", "%2e%2e", "%20",
                      "a" * 10_000, "null", "00000000-0000-0000-0000-000000000000",
                      "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", _encode_text("' OR 1=1 --"),
                      _encode_text("{{ x }}"), _encode_text("<script>")],
}


def edge_values(converter):
    return EDGE_VALUES.get(type(converter), ["0", "x"])


def converter_values(converter, known):
    kind = type(converter)
    choices = [st.from_regex(converter.regex, fullmatch=True).map(_encode_text),
               st.sampled_from(edge_values(converter))]
    if known.by_converter.get(kind):
        choices.insert(0, st.sampled_from(known.by_converter[kind]).map(_encode_text))
    if kind in {UUIDConverter, StringConverter}:
        choices.append(st.uuids().map(str))
    if kind is IntConverter:
        choices.append(st.integers(min_value=0, max_value=10**40).map(str))
    return st.one_of(choices)


def path_values(route, known):
    """Kwargs for the route: a real page's, or each value drawn on its own."""
    if not route.parameters:
        return st.just({})
    independent = st.fixed_dictionaries({
        name: converter_values(converter, known) for name, converter in route.parameters})
    if route in known.by_route:
        return st.one_of(st.sampled_from(known.by_route[route]), independent)
    return independent


# --- Strategies: query strings and headers ----------------------------------------------------

KNOWN_PARAMETERS = ["q", "page", "p"]
UNKNOWN_PARAMETERS = ["kind", "region", "category", "language", "free", "open", "format",
                      "lang", "sort", "order", "o", "ordering", "limit", "offset", "per_page",
                      "paginate_by", "year", "month", "day", "slug", "pk", "id", "next",
                      "callback", "sitemaps", "section", "debug", "__proto__", "q[]",
                      "page[size]", "_", ""]

NASTY_TEXT = [
    "", " ", "  leading and trailing  ", "\t\n\r", "\x00", "a\x00b", "\x1b[31m", "\x7f",
    "' OR 1=1 --", "\"; DROP TABLE directory_hotline; --", "1; SELECT pg_sleep(10)", "%",
    "%%", "_", "\\", "\\'", "' UNION SELECT NULL--", "admin'--",
    "{{", "}}", "{%", "%}", "{#", "{{ settings.SECRET_KEY }}", "{% debug %}", "{{7*7}}",
    "${7*7}", "<%= 7*7 %>",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "&amp;", "&#0;", "]]>", "<![CDATA[x]]>", "<?xml version='1.0'?>",
    "مرحبا بالعالم", "\u202eevil\u202c", "\u200f\u200e", "שלום", "🏳️‍🌈", "👩‍👩‍👧‍👦" * 50,
    "\ufeff", "\ufffd", "ǅ", "ß", "İ", "ﬁ", "Ω", "e\u0301" * 100,
    "../../etc/passwd", "/etc/passwd", "//evil.example/", "http://evil.example/",
    "..%2f..%2f", "%2e%2e%2f", "\r\nSet-Cookie: x=1",
    "Denver", "denver", "ICE", "hotline", "línea",
]
NUMBERS = ["0", "1", "2", "-1", "-0", "1.5", "1e3", "1e308", "inf", "-inf", "nan", "NaN",
           "last", "first", "LAST", " 1", "1 ", "+1", "0x10", "0b1", "1_000", "１", "٣",
           "99", "999999999999999999999", str(2**63), str(-(2**63)), "9" * 4301, "9" * 10_000,
           "true", "false", "null", "[]", "{}"]
# Percent escapes that do not decode as UTF-8 (or do not decode at all).
BROKEN_ESCAPES = ["%ff%fe%c3", "%c3", "%c3%28", "%e2%82", "%ed%a0%80", "%f8%88%80%80%80",
                  "%c0%af", "%80", "%ff", "%00", "%0", "%", "%zz", "%%", "%u0041", "%2", "+%"]


_huge = st.builds(lambda chunk, size: (chunk * size)[:size],
                  st.sampled_from(["a", "é", "🙂", "'", "{", "<", "%", " ", "9", "\x00"]),
                  st.sampled_from([201, 1_000, 4_301, 10_000]))

# Text values are runs of tokens, so metacharacters land inside ordinary words too.
_token = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(NUMBERS),
    st.text(max_size=10),
    st.sampled_from(list("\x00'\"%_\\{}<>&;#+=/?*")),
    # Control, format (bidi, zero-width), separator and combining characters.
    st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Mn", "Co"]),
)
_text = st.lists(_token, min_size=1, max_size=4).map("".join)

query_values = st.one_of(
    _text.map(_encode_text),
    _text.map(_encode_text),  # twice: the most varied kind, more often
    st.integers().map(str),
    st.floats().map(repr).map(_encode_text),
    _huge.map(_encode_text),
    st.sampled_from(BROKEN_ESCAPES),
    st.binary(max_size=40).map(lambda raw: quote_from_bytes(raw, safe="")),
    # Bytes a browser would have escaped, sent raw (but not the separators & and =).
    st.binary(min_size=1, max_size=40).map(
        lambda raw: raw.replace(b"&", b"").replace(b"=", b"").replace(b"#", b"")
        .decode("latin-1")),
)



def query_strings(read=()):
    """Raw query strings; `read` names more parameters the views are known to ask for."""
    known_names = st.sampled_from(sorted(set(KNOWN_PARAMETERS) | set(read)))
    pair = st.one_of(
        # The parameters views read, about half the time.
        st.tuples(known_names, query_values).map("=".join),
        st.tuples(st.one_of(st.sampled_from(UNKNOWN_PARAMETERS), _text.map(_encode_text),
                            st.sampled_from(BROKEN_ESCAPES)), query_values).map("=".join),
        st.one_of(known_names, st.sampled_from(UNKNOWN_PARAMETERS),  # no "=" at all
                  st.sampled_from(["", "=", "==", "=x", "&", "a=b=c", ";", "q=a;page=2",
                                   "q=a+b", "+=+"])),
    )
    return st.lists(pair, min_size=1, max_size=5).map("&".join)


def _header_text(max_size=40):
    # WSGI headers are latin-1 strs: one char per byte the client sent.
    return st.text(max_size=max_size).map(lambda text: text.encode("utf-8").decode("latin-1"))


request_headers = st.fixed_dictionaries({}, optional={
    "HTTP_ACCEPT_LANGUAGE": st.one_of(
        st.sampled_from(["es", "es-MX,es;q=0.9", "en-US", "fr", "*", "", ";q=", "es;q=x",
                         "zh-Hant-TW", "x" * 600, "es-" + "a" * 300]),
        _header_text()),
    "HTTP_COOKIE": st.one_of(
        st.sampled_from(["django_language=es", "django_language=zz", "django_language=",
                         "django_language=\xff", "a", "=;=;", "sessionid=x; csrftoken=y"]),
        _header_text()),
    "HTTP_IF_MODIFIED_SINCE": st.one_of(
        st.sampled_from(["Mon, 01 Jan 9999 00:00:00 GMT", "garbage", "0", ""]), _header_text()),
    "HTTP_IF_NONE_MATCH": st.one_of(st.sampled_from(['"x"', "*", 'W/"y", "z"', ""]),
                                    _header_text()),
    "HTTP_ACCEPT": st.one_of(st.sampled_from(["application/json", "*/*", "text/html;q=x"]),
                             _header_text()),
})


# --- The fuzzing tests ------------------------------------------------------------------------

def discover_parameters(client, routes, known):
    """The query parameters each of these addresses reads, asked once with none."""
    with parameters_read() as names:
        for route in routes:
            fetch(client, route.build(first_values(route, known)))
    PARAMETERS_READ[routes[0].name] = sorted(names)
    return names


# Pattern name: the query parameters its views asked for (shown with -s).
PARAMETERS_READ = {}


def test_any_query_string_on_every_pattern_is_never_a_500(fuzz_client, known):
    """Per URL pattern, hypothesis builds query strings (and headers) for its addresses,
    with the parameters its views read as well as q, page and p and unknown ones."""

    def fuzz(routes):
        queries = query_strings(discover_parameters(fuzz_client, routes, known))

        @fuzz_settings("query")
        @given(data=st.data())
        def fuzz_pattern(data):
            route = data.draw(st.sampled_from(routes), label="route")
            values = data.draw(path_values(route, known), label="values")
            query = data.draw(queries, label="query")
            headers = data.draw(request_headers, label="headers")
            fetch(fuzz_client, route.build(values), query, **headers)

        fuzz_pattern()

    run_per_pattern(PATTERNS, fuzz)


def test_any_path_value_on_every_pattern_is_never_a_500(fuzz_client, known):
    """Per URL pattern with converters, hypothesis builds the values in its path."""

    def fuzz(routes):
        @fuzz_settings("path")
        @given(data=st.data())
        def fuzz_pattern(data):
            route = data.draw(st.sampled_from(routes), label="route")
            values = data.draw(path_values(route, known), label="values")
            fetch(fuzz_client, route.build(values))

        fuzz_pattern()

    run_per_pattern({name: routes for name, routes in PATTERNS.items()
                     if routes[0].parameters}, fuzz)


_path_junk = st.one_of(
    st.sampled_from(["", "x", "nope", "..", ".", "%ff", "%c3%28", "%00", "%2f", "%2e%2e",
                     "index.php", ".env", "wp-admin", "a" * 2_000, "🙂", "ñandú", "%E2%80%AE",
                     "hotlines", "notices", "cap", "es", "en", "fr", "zz", "EN", "Es"]),
    st.text(max_size=30).map(_encode_text),
    st.binary(max_size=20).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.from_regex(r"[a-z0-9\-_.~]{1,30}", fullmatch=True),
)


@fuzz_settings("unknown")
@given(data=st.data())
def test_an_unknown_path_is_a_friendly_404_never_a_500(fuzz_client, known, data):
    """Junk after a real address, or after part of one, in every language or none."""
    route = data.draw(st.sampled_from(ROUTES), label="route")
    base = route.build(data.draw(path_values(route, known), label="values"))
    if data.draw(st.booleans(), label="cut the address short"):
        base = base[:data.draw(st.integers(1, len(base)), label="keep")]
    junk = data.draw(st.lists(_path_junk, min_size=1, max_size=3), label="junk")
    path = base.rstrip("/") + "/" + "/".join(junk) + data.draw(
        st.sampled_from(["", "/"]), label="slash")
    fetch(fuzz_client, path, **data.draw(request_headers, label="headers"))


# --- Fixed cases: the real pages, the nasty classics, every method ----------------------------

# Each view reads q, page or p (the sitemap's), so one query string carries a value for each.
NASTY_QUERIES = [
    "q=%ff%fe%c3&page=%ff&p=%c3%28",
    "q=%00&page=%00&p=%00",
    "q=" + "a" * 10_000 + "&page=" + "9" * 5000 + "&p=" + "9" * 5000,
    "q=' OR 1=1 --&page=999999999999999999999&p=999999999999999999999",
    "q=%22%3B DROP TABLE directory_hotline; --&page=-1&p=-1",
    "q={{&q=}}&q={%&page=0&p=0",
    "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=1.5&p=1e3",
    "q=a&q=b&page=1&page=2&p=1&p=2",
    "q=&page=&p=",
    "q=%E2%80%AE%D8%B4%F0%9F%8F%B3&page=last&p=last",
    "q=%25%5F%5C&page=abc&p=abc",
    "kind=x&region=%ff&category='&language=zz&free=1&open=now&format=json&sort=-pk",
    "%ff=%fe&%00=%00", "=&&=&;", "q=\xff\xfe&page=\xff&p=\xff", "q=\x00\x01\x1b",
]


def test_every_route_answers_its_real_pages(fuzz_client, known):
    for route in ROUTES:
        for values in known.by_route.get(route, [{}] if not route.parameters else []):
            response = fetch(fuzz_client, route.build(values))
            if not route.parameters:
                assert response.status_code == 200, route


# In "dev" each fixed case goes to every fourth pattern (a different quarter for each case).
GRID_STRIDE = {"ci": 1, "dev": 4}


def grid(cases, patterns=None):
    """(case, route) pairs: each case on each pattern, its languages taking turns."""
    stride = GRID_STRIDE[PROFILE]
    for index, case in enumerate(cases):
        for position, routes in enumerate((patterns or PATTERNS).values()):
            if (position + index) % stride == 0:
                yield case, routes[index % len(routes)]


def fetch_all(client, requests):
    """fetch() each (path, query, method); every failure is listed, not just the first."""
    failures = []
    for path, query, method in requests:
        try:
            fetch(client, path, query, method)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)


def test_the_nasty_classics_on_every_pattern_are_never_a_500(fuzz_client, known):
    fetch_all(fuzz_client, [(route.build(first_values(route, known)), query, "GET")
                            for query, route in grid(NASTY_QUERIES)])


NASTY_VALUES = ["%00", "%ff%fe%c3", "a" * 10_000, "-1", "0", "999999999999999999999", "1.5",
                "' OR 1=1 --", "{{", "<script>", "", "true%00", "2024-13-45T25:61:61Z", "[]"]


def test_the_nasty_classics_in_every_parameter_a_view_reads_are_never_a_500(fuzz_client,
                                                                            known):
    """Each classic value in every parameter each pattern's view asks for, all at once."""
    reads = {name: discover_parameters(fuzz_client, routes, known)
             for name, routes in PATTERNS.items()}
    fetch_all(fuzz_client, [
        (route.build(first_values(route, known)),
         "&".join(f"{_encode_text(name)}={value}" for name in sorted(reads[route.name])),
         "GET")
        for value, route in grid(NASTY_VALUES, {name: routes for name, routes
                                                in PATTERNS.items() if reads[name]})])


def test_any_method_on_every_pattern_is_never_a_500(fuzz_client, known):
    fetch_all(fuzz_client, [(route.build(first_values(route, known)), "q=x&page=2", method)
                            for method, route in grid(["HEAD", "OPTIONS", "POST", "DELETE",
                                                       "BREW"])])


def test_too_many_query_parameters_is_a_400_not_a_500(fuzz_client, db):
    query = "&".join(f"q{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    with translation.override("en"):
        assert fetch(fuzz_client, reverse("directory:search"), query).status_code == 400


@pytest.mark.parametrize("path", ["/es/esta-pagina-no-existe/", "/es/hotlines/no-existe/",
                                  "/es/notices/archive/1999/1/", "/es/%ff/",
                                  "/es/notices/00000000-0000-0000-0000-000000000000/"])
def test_an_unknown_page_under_es_is_a_spanish_404_with_a_link_home(fuzz_client, db, path):
    response = fetch(fuzz_client, path)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "Página no encontrada" in html
    assert 'href="/es/"' in html


def test_an_unknown_page_under_en_is_an_english_404_with_a_link_home(fuzz_client, db):
    response = fetch(fuzz_client, "/en/this-page-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Page not found" in html
    assert 'href="/en/"' in html


# --- What the fuzzers found: a test each (failing while the bug is open, then guarding it) ---

@pytest.mark.parametrize(("language", "query"), [("en", "q=%00"), ("es", "q=a\x00b")])
def test_a_nul_in_the_search_query_is_not_a_500(fuzz_client, known, language, query):
    """PostgreSQL refuses NUL in text ("PostgreSQL text fields cannot contain NUL (0x00)
    bytes", a DataError): the icontains search a 500 on PostgreSQL only. SearchForm's
    CharField refuses NUL (a 400), which fixed it; this keeps it fixed."""
    response = fetch(fuzz_client, f"/{language}/search/", query, known_500s={})
    assert response.status_code in {200, 400}


@pytest.mark.parametrize(("language", "query"), [("en", "free=1"), ("es", "kind=service"),
                                                 ("en", "category=legal-help")])
def test_a_search_with_filters_and_no_words_is_not_a_500(fuzz_client, known, language, query):
    """With no words the search's rank was the literal 0, and "ORDER BY 0, e.title, e.id" a
    column number out of range: an OperationalError on SQLite (a 503 from the database
    fallback), a ProgrammingError (500) on PostgreSQL, whenever the filters matched."""
    response = fetch(fuzz_client, f"/{language}/search/", query, known_500s={})
    assert response.status_code == 200


@pytest.mark.parametrize("postcode", ["80204", "0"])
def test_the_api_services_filtered_by_postcode_is_not_a_500(fuzz_client, known, postcode):
    """/api/hsds/services mixes services, hotlines and legal funds, and filter_records()
    filters each by location__postal_code, which only services have: a FieldError."""
    response = fetch(fuzz_client, reverse("api:service-list"), f"postcode={postcode}",
                     known_500s={})
    assert response.status_code == 200
