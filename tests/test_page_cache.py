"""The page cache: a hit, then never a stale page after an edit or a notice's time."""

import datetime
import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from alerts import publishing
from config.page_cache import cache_until
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response


def test_a_second_visit_is_served_from_the_cache_without_a_query(
        client, page_cache, django_assert_num_queries):
    hotline = factories.make_hotline()
    assert get(client, "/en/hotlines/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        cached = get(client, "/en/hotlines/")
    assert cached["X-Page-Cache"] == "hit"
    assert hotline.name_en in cached.content.decode()


def test_a_cached_search_does_not_repeat_the_miss_s_server_timing(client, page_cache):
    factories.make_service(name_en="Free legal clinic")
    miss = get(client, "/en/search/?q=clinic")
    assert miss["X-Page-Cache"] == "miss" and "search;dur=" in miss["Server-Timing"]
    hit = get(client, "/en/search/?q=clinic")
    assert hit["X-Page-Cache"] == "hit"
    assert not hit.has_header("Server-Timing")


def test_an_edit_is_seen_at_once(client, page_cache):
    hotline = factories.make_hotline(name_en="Old name")
    assert "Old name" in get(client, "/en/hotlines/").content.decode()
    hotline.name_en = "New name"
    hotline.save()
    fresh = get(client, "/en/hotlines/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "New name" in fresh.content.decode()


def test_a_scheduled_notice_appears_on_time_on_a_cached_page(client, page_cache, settings):
    # A clock the test can move: the local-memory cache expires entries by time.time().
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "scheduled-notice-test"}}
    start = timezone.now()
    notice = factories.make_notice(title_en="Scheduled session",
                                   publish_at=start + datetime.timedelta(hours=1))
    publishing.publish(notice, user=factories.make_publisher())
    assert "Scheduled session" not in get(client, "/en/").content.decode()
    assert get(client, "/en/")["X-Page-Cache"] == "hit"
    assert cache_until(start) <= notice.publish_at
    later = start + datetime.timedelta(hours=1, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later), \
            mock.patch("time.time", return_value=time.time() + 3601):
        page = get(client, "/en/")
    assert page["X-Page-Cache"] == "miss"
    assert "Scheduled session" in page.content.decode()


def test_the_cache_lasts_no_longer_than_the_next_opening_time(page_cache):
    from directory.models import ServiceHours

    now = timezone.localtime()
    opening = (now + datetime.timedelta(minutes=5)).replace(second=0, microsecond=0)
    if opening.date() != now.date():
        pytest.skip("too close to midnight for a same-day opening time")
    ServiceHours.objects.create(service=factories.make_service(), weekday=now.weekday(),
                                opens=opening.time(),
                                closes=(opening + datetime.timedelta(minutes=1)).time())
    assert cache_until(now) == opening


def test_nothing_is_cached_without_a_shared_cache(client, settings):
    settings.PAGE_CACHE = False
    factories.make_hotline()
    get(client, "/en/hotlines/")
    assert "X-Page-Cache" not in get(client, "/en/hotlines/")


def test_the_language_redirect_is_never_cached(client, page_cache):
    client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/"


@pytest.mark.redis
def test_two_app_servers_share_pages_and_their_invalidation(client, page_cache, settings):
    if not isinstance(caches["default"], RedisCache):
        pytest.skip("REDIS_URL is not set")
    hotline = factories.make_hotline(name_en="Before")
    get(client, "/en/hotlines/")
    other_server = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "amparo"})
    assert any(key.startswith(b"amparo:1:page:") for key in
               other_server._cache.get_client().keys("amparo:1:page:*"))
    hotline.name_en = "After"
    hotline.save()
    assert "After" in get(client, "/en/hotlines/").content.decode()


@pytest.mark.redis
def test_a_hit_is_one_round_trip_to_redis(client, page_cache, django_assert_num_queries):
    import redis

    if not isinstance(caches["default"], RedisCache):
        pytest.skip("REDIS_URL is not set")
    factories.make_hotline()
    assert get(client, "/en/hotlines/")["X-Page-Cache"] == "miss"
    commands = []
    original = redis.Redis.execute_command

    def counted(self, *args, **options):
        commands.append(args[0])
        return original(self, *args, **options)

    with mock.patch.object(redis.Redis, "execute_command", counted), \
            django_assert_num_queries(0):
        assert get(client, "/en/hotlines/")["X-Page-Cache"] == "hit"
    assert commands == ["MGET"]


def test_a_flushed_cache_starts_again_with_a_miss(client, page_cache):
    factories.make_hotline()
    get(client, "/en/hotlines/")
    caches["default"].clear()
    assert get(client, "/en/hotlines/")["X-Page-Cache"] == "miss"
    assert get(client, "/en/hotlines/")["X-Page-Cache"] == "hit"
