"""Whole-page cache for visitors, shared by every app server through Redis.

A page is stored with the site's content version, which every write moves on, and is
served only while that version is still the current one, so an edit shows at once
everywhere; and it lives no longer than the next moment the page would change by the
clock alone: a notice going up or down, a service opening or closing, midnight (dates
such as "not checked since").

A hit is the hot path: one round trip to Redis reads both the current version and the
page, through one client kept for the process (Django's Redis backend builds a new
client for every call, which costs more than the round trip itself), and nothing
below this middleware runs: no session, locale, CSRF or authentication work, and no
query.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db.models import F, Min, Q
from django.utils import timezone

from directory.upkeep import CONTENT_VERSION_KEY, content_version

LANGUAGE_PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
CACHED_TYPES = ("text/html", "application/atom+xml", "application/rss+xml", "text/calendar",
                "application/xml")


def _next_hours_change(now):
    """The next opening or closing time of any hours row, today, in the site's zone."""
    from directory.models import HotlineHours, LocationHours, ServiceHours

    local = timezone.localtime(now)
    clock, today, yesterday = local.time(), local.weekday(), (local.weekday() - 1) % 7
    times = []
    for model in (HotlineHours, LocationHours, ServiceHours):
        found = model.objects.filter(is_24_hours=False, is_closed=False).aggregate(
            next_opening=Min("opens", filter=Q(weekday=today, opens__gt=clock)),
            next_closing=Min("closes", filter=Q(weekday=today, closes__gt=clock)),
            # A row that opened yesterday evening and closes after midnight.
            next_late_closing=Min("closes", filter=Q(weekday=yesterday, closes__gt=clock,
                                                     closes__lt=F("opens"))),
        )
        times += [value for value in found.values() if value is not None]
    if not times:
        return None
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + min(
        datetime.timedelta(hours=t.hour, minutes=t.minute) for t in times)


def _next_notice_change(now):
    from alerts.models import Notice

    found = Notice.objects.filter(status=Notice.Status.PUBLISHED).aggregate(
        next_start=Min("publish_at", filter=Q(publish_at__gt=now)),
        next_end=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    changes = [value for value in found.values() if value is not None]
    return min(changes) if changes else None


def cache_until(now=None):
    """When every cached page must be thrown away at the latest."""
    now = now or timezone.now()
    key = f"page-cache-until:{content_version()}"
    until = cache.get(key)
    if until is None or until <= now:
        local = timezone.localtime(now)
        midnight = (local + datetime.timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0)
        until = min(filter(None, (midnight, _next_notice_change(now),
                                  _next_hours_change(now),
                                  now + datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS))))
        cache.set(key, until, timeout=int((until - now).total_seconds()) + 1)
    return until


def is_cacheable_request(request):
    return (settings.PAGE_CACHE and request.method in ("GET", "HEAD")
            and request.path.startswith(LANGUAGE_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES)


def _page_key(request):
    return "page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()


def _redis_client(backend):
    """One client for the process, on the backend's own connection pool."""
    client = backend.__dict__.get("_page_cache_client")
    if client is None:
        client = backend.__dict__["_page_cache_client"] = backend._cache.get_client()
    return client


def read_page(page_key):
    """The current content version and what is stored under `page_key`, together."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        raw = _redis_client(backend).mget([backend.make_and_validate_key(CONTENT_VERSION_KEY),
                                           backend.make_and_validate_key(page_key)])
        loads = backend._cache._serializer.loads
        version, stored = (None if value is None else loads(value) for value in raw)
    else:
        found = backend.get_many([CONTENT_VERSION_KEY, page_key])
        version, stored = found.get(CONTENT_VERSION_KEY), found.get(page_key)
    if version is None:  # a cache just started or flushed: the version starts again
        version = content_version()
    return version, stored


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = _page_key(request)
        version, stored = read_page(key)
        # Stored as (content version, response): a page from before the last write is a miss.
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
            response = stored[1]
            response["X-Page-Cache"] = "hit"
            # The stored page's server timing is the miss's, not this answer's.
            if response.has_header("Server-Timing"):
                del response["Server-Timing"]
            return response
        response = self.get_response(request)
        if (response.status_code == 200 and not response.cookies and not response.streaming
                and response.get("Content-Type", "").startswith(CACHED_TYPES)):
            now = timezone.now()
            seconds = int((cache_until(now) - now).total_seconds())
            if seconds > 0:
                response["X-Page-Cache"] = "miss"
                # The version read before the page was made: a write during it means a miss.
                cache.set(key, (version, response), timeout=seconds)
        return response
