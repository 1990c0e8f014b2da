"""The read-only HSDS 3.0 API: HTTP only, the mapping lives in `hsds` and `listing`."""

import datetime
import functools
import hashlib
import re

from django.core.cache import cache
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from directory.upkeep import content_version

from . import hsds, listing, openapi, throttling

PROFILE_URL = "https://docs.openreferral.org/en/v3.0/"
# What the `modified_after` and id parameters accept: RFC 3339 and the 8-4-4-4-12 uuid form.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
                     re.IGNORECASE)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                  re.IGNORECASE)
# How long the time a content version was first seen is kept; a lost one is seen anew.
FIRST_SEEN_TIMEOUT = 30 * 24 * 60 * 60


class InvalidParameters(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class NotFound(Exception):
    pass


def error_response(status, detail, errors=None, **headers):
    body = {"status": status, "detail": detail}
    if errors:
        body["errors"] = [{"parameter": name, "message": message} for name, message in errors]
    return JsonResponse(body, status=status, headers=headers)


class Query:
    """Reads a request's parameters and collects every error, to report them together."""

    def __init__(self, request):
        self.params = request.GET
        self.errors = []

    def _fail(self, name, message):
        self.errors.append((name, message))

    def text(self, name):
        # PostgreSQL cannot hold a NUL character; nothing Amparo stores contains one.
        return self.params.get(name, "").replace("\x00", "")

    def integer(self, name, *, default, maximum):
        value = self.params.get(name)
        if value is None:
            return default
        if not re.fullmatch(r"[+-]?\d{1,12}", value) or not 1 <= int(value) <= maximum:
            self._fail(name, _("%(name)s must be a whole number from 1 to %(maximum)s.")
                       % {"name": name, "maximum": maximum})
            return default
        return int(value)

    def boolean(self, name):
        value = self.params.get(name)
        if value is None:
            return False
        if value not in ("true", "false"):
            self._fail(name, _("%(name)s must be true or false.") % {"name": name})
        return value == "true"

    def uuid(self, name):
        value = self.params.get(name)
        if value is None:
            return ""
        if not UUID.fullmatch(value):
            self._fail(name, _("%(name)s must be an id such as "
                               "3f7b145d-84af-42d7-8fae-eaca714b02b2.") % {"name": name})
            return ""
        return value.lower()

    def moment(self, name):
        value = self.params.get(name)
        if value is None:
            return None
        try:
            if not RFC3339.fullmatch(value):
                raise ValueError(value)
            return datetime.datetime.fromisoformat(value.upper())
        except ValueError:
            self._fail(name, _("%(name)s must be a date and time such as "
                               "2024-05-16T09:30:00Z.") % {"name": name})
            return None

    def page(self):
        self.format()
        return listing.PageRequest(
            number=self.integer("page", default=1, maximum=openapi.MAX_PAGE),
            per_page=self.integer("per_page", default=openapi.DEFAULT_PER_PAGE,
                                  maximum=openapi.MAX_PER_PAGE))

    def format(self):
        value = self.params.get("format", "json")
        if value != "json":
            self._fail("format", _("Amparo answers in json only."))

    def filters(self):
        return listing.Filters(
            search=self.text("search"), taxonomy_term_id=self.uuid("taxonomy_term_id"),
            taxonomy_id=self.uuid("taxonomy_id"), organization_id=self.uuid("organization_id"),
            modified_after=self.moment("modified_after"), postcode=self.text("postcode"))

    def check(self):
        if self.errors:
            raise InvalidParameters(self.errors)


def _first_seen(version):
    """When this server first saw the directory's current content version."""
    return cache.get_or_set(f"api-first-seen:{version}",
                            lambda: timezone.now().replace(microsecond=0),
                            timeout=FIRST_SEEN_TIMEOUT)


def _etag(request, *args, **kwargs):
    version = content_version()
    key = f"{version}:{_first_seen(version).isoformat()}:{request.get_full_path()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return _first_seen(content_version())


def _notices_etag(request, *args, **kwargs):
    """Notices go public and expire with time alone, so their tag names the public set."""
    public = listing.public_notices().values_list("pk", "updated_at")
    key = f"{request.get_full_path()}:" + ",".join(f"{pk}@{at.isoformat()}" for pk, at in public)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def api_view(view=None, *, etag_func=_etag, last_modified_func=_last_modified):
    """Rate limit, conditional GET, caching, English, and JSON errors for an API view."""
    if view is None:
        return functools.partial(api_view, etag_func=etag_func,
                                 last_modified_func=last_modified_func)
    conditional = condition(etag_func=etag_func, last_modified_func=last_modified_func)(view)

    # Read-only and cookie-free: any other method gets 405 here, not CSRF's 403.
    @csrf_exempt
    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override("en"):
            wait = throttling.seconds_until_allowed(request)
            if wait:
                response = error_response(429, _("Too many requests. Try again in %(seconds)s "
                                                 "seconds.") % {"seconds": wait},
                                          **{"Retry-After": str(wait)})
                patch_cache_control(response, no_store=True)
                return response
            try:
                response = conditional(request, *args, **kwargs)
            except InvalidParameters as invalid:
                response = error_response(400, _("Some parameters are not valid."),
                                          invalid.errors)
            except NotFound:
                response = error_response(404, _("Nothing public has this id."))
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=300)
        else:
            for header in ("ETag", "Last-Modified"):
                response.headers.pop(header, None)
        return response

    return wrapper


@api_view
def index(request):
    return JsonResponse({
        "version": hsds.HSDS_VERSION, "profile": PROFILE_URL,
        "openapi_url": hsds.absolute(reverse("api:openapi")),
    })


@api_view
def openapi_document(request):
    return JsonResponse(openapi.document())


@api_view
def service_list(request):
    query = Query(request)
    filters, page = query.filters(), query.page()
    full, minimal = query.boolean("full"), query.boolean("minimal")
    query.check()
    return JsonResponse(listing.service_page(filters, page, full=full, minimal=minimal))


@api_view
def service_detail(request, pk):
    record = listing.find_service(pk) if UUID.fullmatch(pk) else None
    if record is None:
        raise NotFound
    return JsonResponse(hsds.service(record))


@api_view
def organization_list(request):
    query = Query(request)
    filters, page = query.filters(), query.page()
    full, full_service = query.boolean("full"), query.boolean("full_service")
    query.check()
    return JsonResponse(listing.organization_page(filters, page, full=full,
                                                  full_service=full_service))


@api_view
def organization_detail(request, pk):
    query = Query(request)
    full_service = query.boolean("full_service")
    query.check()
    org = listing.find_organization(pk) if UUID.fullmatch(pk) else None
    if org is None:
        raise NotFound
    services = listing.services_by_organization([org.pk], full=full_service)[org.pk]
    return JsonResponse(listing.organization_detail(org, services=services))


@api_view
def service_at_location_list(request):
    query = Query(request)
    filters, page, full = query.filters(), query.page(), query.boolean("full")
    query.check()
    return JsonResponse(listing.service_at_location_page(filters, page, full=full))


@api_view
def service_at_location_detail(request, pk):
    item = listing.find_service_at_location(pk.lower()) if UUID.fullmatch(pk) else None
    if item is None:
        raise NotFound
    return JsonResponse(item)


@api_view
def taxonomy_list(request):
    query = Query(request)
    filters, page = query.filters(), query.page()
    query.check()
    return JsonResponse(listing.taxonomy_page(filters, page))


@api_view
def taxonomy_detail(request, pk):
    found = [item for item in hsds.taxonomies() if item["id"] == pk.lower()]
    if not found:
        raise NotFound
    return JsonResponse(found[0])


@api_view
def taxonomy_term_list(request):
    query = Query(request)
    filters, page = query.filters(), query.page()
    query.boolean("top_only")  # every Amparo term is a top term
    parent_id = query.uuid("parent_id")
    query.check()
    return JsonResponse(listing.taxonomy_term_page(filters, page, parent_id=parent_id))


@api_view
def taxonomy_term_detail(request, pk):
    found = [term for term in listing.all_terms() if term["id"] == pk.lower()]
    if not found:
        raise NotFound
    return JsonResponse(found[0])


@api_view(etag_func=_notices_etag, last_modified_func=None)
def notice_list(request):
    query = Query(request)
    page = query.page()
    query.check()
    return JsonResponse(listing.notice_page(page))
