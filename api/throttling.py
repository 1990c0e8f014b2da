"""A per-client request limit that never learns who the client is.

Requests are counted in the cache per minute under an HMAC of the client's address. The
HMAC key is derived from SECRET_KEY and today's date, so it changes every day and is
never stored: yesterday's counters cannot be tied to an address, and nothing is logged.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

# Requests one client may make in a minute; HSDS_API_RATE_LIMIT overrides it.
DEFAULT_LIMIT = 120
WINDOW_SECONDS = 60


def client_key(request):
    today = timezone.now().date().isoformat()
    address = request.META.get("REMOTE_ADDR", "")
    return salted_hmac(f"amparo.api.rate-limit.{today}", address,
                       algorithm="sha256").hexdigest()


def seconds_until_allowed(request):
    """0 while the client is within its limit; otherwise how long it must wait."""
    limit = getattr(settings, "HSDS_API_RATE_LIMIT", DEFAULT_LIMIT)
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"api-rate:{window}:{client_key(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
