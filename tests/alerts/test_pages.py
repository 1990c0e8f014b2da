"""The notice pages, and notices beside the directory's pages, as a visitor sees them."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from alerts import publishing
from alerts.models import Notice
from alerts.rendering import render_body
from directory.models import Hotline, Organization, Region
from tests import factories
from tests.sitecheck import crawl

pytestmark = pytest.mark.django_db

HOSTILE_BODIES = [
    "<script>alert(1)</script>**still here**",
    '<img src="x" onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="jav&#x61;script:alert(1)">entity-encoded scheme</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">dec</a>',
    '<p style="position:fixed;top:0">covers the page</p>',
    '<iframe src="https://evil.example/"></iframe>',
    "<b><i>unclosed <a href='x' onclick='alert(1)'",
    "<div><p>nested <em>markup<a onmouseover=alert(1)>x</div></em>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "&lt;script&gt;alert(1)&lt;/script&gt; <scr<script>ipt>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    '<a href="  javascript:alert(1)">leading spaces</a> [proto](//evil.example/)',
]


def assert_harmless(rendered):
    assert "<script" not in rendered.lower()
    assert not re.search(r"<[^>]*\bon\w+\s*=", rendered, re.IGNORECASE)
    assert "javascript:" not in rendered.lower()
    assert "style=" not in rendered.lower()
    assert "<iframe" not in rendered.lower()
    assert not re.search(r"href\s*=\s*[\"']?\s*data:", rendered, re.IGNORECASE)
    assert not re.search(r"href\s*=\s*[\"']?//", rendered, re.IGNORECASE)


@pytest.fixture
def publisher():
    return factories.make_publisher()


@pytest.fixture
def places():
    """A hotline, a city inside a state: what a notice is usually about."""
    state = factories.make_region(kind="state")
    return {"hotline": factories.make_hotline(), "region": factories.make_region(parent=state),
            "state": state}


def relate(notice, places, *, sources=1):
    notice.hotlines.add(places["hotline"])
    notice.regions.add(places["region"])
    for _ in range(sources):
        notice.sources.add(factories.make_source())
    return notice


def page_paths(places, language="en"):
    """Every page a notice about the hotline and the city must appear on while active."""
    with translation.override(language):
        return {"home": reverse("directory:home"), "notice list": reverse("alerts:notice-list"),
                "hotline": places["hotline"].get_absolute_url(),
                "region": places["region"].get_absolute_url(),
                "parent region": places["state"].get_absolute_url()}


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def pages(client, places, language="en"):
    return {name: get(client, path) for name, path in page_paths(places, language).items()}


def url_in(notice, language="en"):
    with translation.override(language):
        return notice.get_absolute_url()


def cards(page, notice, language="en"):
    """The cards titled with a link to the notice (a card's own `</li>` starts a line)."""
    title_link = f'class="notice-title"><a href="{url_in(notice, language)}"'
    return [chunk.split("\n</li>")[0] for chunk in page.split('<li class="notice ')[1:]
            if title_link in chunk.split("\n</li>")[0]]


def card(page, notice, language="en"):
    found = cards(page, notice, language)
    assert len(found) == 1, f"{len(found)} cards for {url_in(notice, language)}"
    return found[0]


def local_date(value, language="en"):
    with translation.override(language):
        return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def links(page):
    parser = LinkParser()
    parser.feed(page)
    return parser.links


def test_drafts_scheduled_expired_and_withdrawn_notices_are_never_active(
        client, places, publisher):
    now = timezone.now()
    draft = relate(factories.make_notice(title_en="Draft raid report"), places)
    scheduled = relate(factories.make_notice(title_en="Scheduled session",
                                             publish_at=now + datetime.timedelta(days=2)),
                       places)
    publishing.publish(scheduled, user=publisher)
    expired = relate(factories.make_notice(title_en="Old checkpoint"), places)
    expired = publishing.publish(expired, user=publisher, now=now - datetime.timedelta(days=30))
    withdrawn = relate(factories.make_public_notice(title_en="Retracted sighting",
                                                    publisher=publisher), places)
    titles = ["Draft raid report", "Scheduled session", "Old checkpoint", "Retracted sighting"]

    before = pages(client, places)
    assert all("Retracted sighting" in page for page in before.values())
    publishing.withdraw(withdrawn, user=publisher)

    for name, page in pages(client, places).items():
        assert [title for title in titles if title in page] == [], name
    for notice in (draft, scheduled):
        assert client.get(url_in(notice)).status_code == 404
        assert client.get(url_in(notice, "es")).status_code == 404
    withdrawn.refresh_from_db()
    withdrawn_page = get(client, url_in(withdrawn))
    assert "Withdrawn on " + local_date(withdrawn.withdrawn_at) in withdrawn_page
    assert "notice-withdrawn" in withdrawn_page
    expired_page = get(client, url_in(expired))
    assert "Expired on " + local_date(expired.expires_at) in expired_page

    local = timezone.localtime(expired.publish_at)
    month = reverse("alerts:notice-archive-month",
                    kwargs={"year": local.year, "month": local.month})
    assert month in get(client, reverse("alerts:notice-archive"))
    month_page = get(client, month)
    assert "Old checkpoint" in month_page
    assert "Draft raid report" not in month_page and "Scheduled session" not in month_page
    assert client.get(reverse("alerts:notice-archive-month",
                              kwargs={"year": local.year, "month": 13})).status_code == 404
    assert client.get(reverse("alerts:notice-archive-month",
                              kwargs={"year": 1999, "month": 1})).status_code == 404


@pytest.mark.parametrize("language", ["en", "es"])
def test_published_notice_appears_beside_its_records_at_once(
        client, places, publisher, language):
    confirmer = factories.make_organization(name_en="Rapid Response Network",
                                            name_es="Red de Respuesta Rápida")
    notice = relate(factories.make_notice(title_en="Checkpoint on Colfax",
                                          title_es="Retén en Colfax", confirmed_by=confirmer),
                    places)
    title = notice.title_es if language == "es" else notice.title_en
    assert [name for name, page in pages(client, places, language).items()
            if title in page] == []

    publishing.publish(notice, user=publisher)

    notice.refresh_from_db()
    for name, page in pages(client, places, language).items():
        shown = card(page, notice, language)
        assert title in shown, name
        assert "CONFIRM" in shown, name  # CONFIRMED, CONFIRMADO
        assert local_date(notice.publish_at, language) in shown, name
        if language == "es":
            assert "Checkpoint on Colfax" not in page, name
        else:
            assert (f"Confirmed by Rapid Response Network on {local_date(notice.confirmed_at)}"
                    in shown), name
    detail = get(client, url_in(notice, language))
    assert title in detail
    with translation.override(language):
        assert places["hotline"].get_absolute_url() in detail
        assert places["region"].get_absolute_url() in detail


def test_report_being_checked_shows_no_place_and_no_time(client, places, publisher):
    notice = relate(factories.make_notice(title_en="Agents reported near a school",
                                          certainty=Notice.Certainty.BEING_CHECKED), places)
    publishing.publish(notice, user=publisher)
    # Rows written around the model's checks (an import, a raw update) must not leak either.
    Notice.objects.filter(pk=notice.pk).update(
        place_en="Lincoln Elementary", place_is_confidential=True,
        event_starts_at=timezone.now() + datetime.timedelta(hours=1))

    for name, page in {**pages(client, places), "detail": get(client, url_in(notice))}.items():
        shown = card(page, notice) if name != "detail" else page.split("<main")[1]
        assert "Agents reported near a school" in shown, name
        assert "BEING CHECKED" in shown, name
        assert "We are checking this report" in shown, name
        assert reverse("directory:hotline-list") in shown, name
        for hidden in ("Lincoln Elementary", "Call for the location", "When:", "Where:"):
            assert hidden not in shown, (name, hidden)


def test_confirmed_notice_shows_place_time_and_call_for_the_location(client, places, publisher):
    starts = timezone.now() + datetime.timedelta(days=1)
    public_place = relate(factories.make_notice(title_en="Know-your-rights session",
                                                place_en="Denver Public Library",
                                                event_starts_at=starts), places)
    secret_place = relate(factories.make_notice(title_en="Family meeting",
                                                place_en="Basement of a church",
                                                place_is_confidential=True), places)
    for notice in (public_place, secret_place):
        publishing.publish(notice, user=publisher)

    page = get(client, reverse("alerts:notice-list"))
    assert "Denver Public Library" in card(page, public_place)
    assert local_date(starts) in card(page, public_place)
    assert "Call for the location" in card(page, secret_place)
    assert "Basement of a church" not in page


def test_urgent_notice_puts_a_banner_on_every_page_until_withdrawn(client, places, publisher):
    hotline_page = places["hotline"].get_absolute_url()
    paths = ["/en/about/", "/es/about/", hotline_page, reverse("alerts:notice-list")]
    assert not any("urgent-banner" in get(client, path) for path in paths)

    urgent = factories.make_public_notice(title_en="Confirmed operation in Aurora",
                                          severity=Notice.Severity.URGENT, publisher=publisher)

    for path in paths:
        page = get(client, path)
        assert "urgent-banner" in page, path
        banner = page.split('class="urgent-banner"')[1].split("</aside>")[0]
        assert url_in(urgent, path[1:3]) in banner, path
        assert reverse("alerts:notice-list") in page, path
    publishing.withdraw_all_urgent(user=publisher)
    assert not any("urgent-banner" in get(client, path) for path in paths)


def test_the_banner_names_the_newest_urgent_notice_and_counts_the_others(client, places,
                                                                          publisher):
    older = factories.make_public_notice(title_en="Checkpoint on Colfax",
                                         severity=Notice.Severity.URGENT, publisher=publisher)
    Notice.objects.filter(pk=older.pk).update(publish_at=timezone.now()
                                              - datetime.timedelta(hours=2))
    newest = factories.make_public_notice(title_en="Operation in Aurora",
                                          severity=Notice.Severity.URGENT, publisher=publisher)
    factories.make_public_notice(title_en="Clinic moved", publisher=publisher)  # an advisory
    banner = get(client, "/en/about/").split('class="urgent-banner"')[1].split("</aside>")[0]
    assert "Operation in Aurora" in banner and url_in(newest, "en") in banner
    assert "Checkpoint on Colfax" not in banner
    assert "and 1 more" in banner
    spanish = get(client, "/es/about/").split('class="urgent-banner"')[1].split("</aside>")[0]
    assert "y 1 más" in spanish


@pytest.mark.parametrize("severity", [Notice.Severity.URGENT, Notice.Severity.ADVISORY])
def test_found_false_correction_replaces_the_original_as_prominently(
        client, places, publisher, severity):
    original = relate(factories.make_public_notice(title_en="Raid at the market",
                                                   severity=severity, publisher=publisher),
                      places)
    before = pages(client, places)
    styling = card(before["notice list"], original).split('"')[0]
    assert f"notice-{severity}" in styling

    correction = publishing.mark_found_false(original, user=publisher)

    for name, page in pages(client, places).items():
        shown = card(page, correction)
        assert "Found false: Raid at the market" in shown, name
        assert shown.split('"')[0] == styling + " notice-false", name
        assert "FALSE" in shown, name
        assert url_in(original) in shown, name
        assert cards(page, original) == [], name
    original_page = get(client, url_in(original))
    assert {"href": url_in(correction), "class": "notice-correction"} in links(original_page)
    assert original_page.index(url_in(correction)) < original_page.index("<h1")
    assert "FALSE" in original_page.split("<h1")[0]
    if severity == Notice.Severity.URGENT:
        assert "Found false: Raid at the market" in get(client, "/en/about/").split(
            "</aside>")[0]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_body_is_neutralised(body):
    rendered = str(render_body(body))
    assert_harmless(rendered)


def test_hostile_bodies_are_neutralised_on_the_page_and_markdown_still_works(
        client, publisher):
    notice = factories.make_public_notice(
        body_en="- **Bold** and [the hotline](/en/hotlines/)\n\n" + "\n\n".join(HOSTILE_BODIES),
        title_en="<script>alert('title')</script>", publisher=publisher)
    page = get(client, url_in(notice))
    body = page.split('class="notice-body"')[1].split("</div>")[0]
    assert_harmless(body)
    assert "<script" not in page and "javascript:" not in page.lower()
    assert "<strong>still here</strong>" in body
    assert '<a href="/en/hotlines/" rel="noopener noreferrer">the hotline</a>' in body
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_share_links_carry_the_date_certainty_and_address(client, publisher, language):
    notice = factories.make_public_notice(title_en="Session moved", title_es="Sesión cambiada",
                                          publisher=publisher)
    page = get(client, url_in(notice, language))
    absolute = settings.SITE_URL + url_in(notice, language)
    whatsapp = [link for link in links(page) if link["href"].startswith("https://wa.me/?text=")]
    sms = [link for link in links(page) if link["href"].startswith("sms:?&body=")]
    assert len(whatsapp) == len(sms) == 1
    assert set(whatsapp[0]["rel"].split()) == {"noopener", "noreferrer"}
    local = timezone.localtime(notice.publish_at)
    for link in (whatsapp[0], sms[0]):
        text = unquote(link["href"].split("=", 1)[1])
        assert absolute in text
        assert local_date(notice.publish_at, language) in text
        assert local.tzname() in text
        assert (notice.title_es if language == "es" else notice.title_en) in text
        assert "CONFIRM" in text  # CONFIRMED, CONFIRMADO


def test_site_wide_check_passes_with_notices_in_every_state(client, places, publisher):
    now = timezone.now()
    draft = relate(factories.make_notice(), places)
    scheduled = relate(factories.make_notice(publish_at=now + datetime.timedelta(days=1)),
                       places)
    publishing.publish(scheduled, user=publisher)
    public = [relate(factories.make_public_notice(publisher=publisher, **fields), places)
              for fields in ({}, {"severity": Notice.Severity.URGENT},
                             {"severity": Notice.Severity.INFORMATION,
                              "place_en": "Library", "place_is_confidential": True})]
    checking = relate(factories.make_notice(certainty=Notice.Certainty.BEING_CHECKED), places)
    publishing.publish(checking, user=publisher)
    expired = relate(factories.make_notice(), places)
    publishing.publish(expired, user=publisher, now=now - datetime.timedelta(days=40))
    withdrawn = relate(factories.make_public_notice(publisher=publisher), places)
    publishing.withdraw(withdrawn, user=publisher)
    found_false = relate(factories.make_public_notice(publisher=publisher), places)
    correction = publishing.mark_found_false(found_false, user=publisher)
    unpublished_hotline = factories.make_hotline(is_published=False)
    public[0].hotlines.add(unpublished_hotline)

    site = crawl(client)

    assert {path: found for path, (_response, found) in site.items() if found} == {}
    for notice in (*public, checking, expired, withdrawn, found_false, correction):
        for language in ("en", "es"):
            assert url_in(notice, language) in site
    for notice in (draft, scheduled):
        assert not [path for path in site if str(notice.pk) in path]
    assert unpublished_hotline.get_absolute_url() not in site
    assert [path for path in site if re.fullmatch(r"/es/notices/archive/\d{4}/\d+/", path)]


def build_notices(count, publisher):
    """`count` public notices and `count` archived ones, each with every relation filled."""
    hotline = factories.make_hotline(slug="measured-hotline")
    region = factories.make_region(slug="measured-region")
    past = timezone.now() - datetime.timedelta(days=60)
    for n in range(count):
        severity = Notice.Severity.URGENT if n % 2 else Notice.Severity.ADVISORY
        public = factories.make_public_notice(severity=severity, publisher=publisher)
        archived = factories.make_notice(confirmed_by=factories.make_organization())
        publishing.publish(archived, user=publisher, now=past)
        for notice in (public, archived):
            relate(notice, {"hotline": hotline, "region": region}, sources=2)
            notice.organizations.add(notice.confirmed_by)
    local = timezone.localtime(past)
    return {
        "notice-list": reverse("alerts:notice-list"),
        "notice-detail": public.get_absolute_url(),
        "archived-notice-detail": archived.get_absolute_url(),
        "notice-archive": reverse("alerts:notice-archive"),
        "notice-archive-month": reverse("alerts:notice-archive-month",
                                        kwargs={"year": local.year, "month": local.month}),
        "home": reverse("directory:home"),
        "hotline-detail": hotline.get_absolute_url(),
        "region-detail": region.get_absolute_url(),
        "about": reverse("directory:about"),
    }


# With notices present. Every page: 1 for the urgent banner. A list of notice cards: 1,
# plus 7 prefetches (regions, organizations, hotlines, services, legal funds, detention
# facilities, sources); pages add a count for pagination, a notice's own corrections, or
# the month archive's day list, emptiness check and next and previous months.
EXPECTED_QUERIES = {
    "notice-list": 10,
    "notice-detail": 10,
    "archived-notice-detail": 10,
    "notice-archive": 3,
    "notice-archive-month": 15,
    "home": 16,
    "hotline-detail": 16,
    "region-detail": 18,
    "about": 3,  # the sources come a page at a time, with their count
}


def measure(client, count, publisher):
    paths = build_notices(count, publisher)
    client.get("/en/")
    counts = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = len(queries)
    return counts


def test_notice_pages_run_the_same_queries_with_2_or_30_notices(client, publisher):
    small = measure(client, 2, publisher)
    Notice.objects.all().delete()
    Hotline.objects.all().delete()
    Organization.objects.all().delete()
    Region.objects.all().delete()
    large = measure(client, 30, publisher)
    assert small == large
    assert large == EXPECTED_QUERIES
