"""Whole-page cache for visitors, shared by every app server through Redis.

A page is stored under the site's content version, which every write moves on, so
an edit shows at once everywhere; and it lives no longer than the next moment the
page would change by the clock alone: a notice going up or down, a service opening
or closing, midnight (dates such as "not checked since").
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Min, Q
from django.utils import timezone

from directory.upkeep import content_version

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


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{content_version()}:{path}"
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (response.status_code == 200 and not response.cookies and not response.streaming
                and response.get("Content-Type", "").startswith(CACHED_TYPES)):
            now = timezone.now()
            seconds = int((cache_until(now) - now).total_seconds())
            if seconds > 0:
                response["X-Page-Cache"] = "miss"
                cache.set(key, response, timeout=seconds)
        return response
