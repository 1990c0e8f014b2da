"""Atom, RSS, iCalendar and CAP 1.2: who appears in them, and that each parses or validates."""

import datetime
import hashlib
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import xmlschema
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts import publishing
from alerts.models import CapMessage, Notice
from tests import factories

CAP_XSD = Path(__file__).resolve().parent.parent / "schemas" / "cap-1.2" / "cap12.xsd"
CAP_XSD_SHA256 = "f6c6ed7537a463968b7b36110f7e8bba1f86ad2257a8b84619d7dce530e57401"
CAP = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
DENVER = ZoneInfo("America/Denver")
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# The pinned number of SQL queries per feed, whatever the number of notices.
EXPECTED_QUERIES = {"atom": 1, "rss": 1, "ics": 1, "cap-index": 1, "cap-message": 3}

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher():
    return factories.make_publisher()


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def parsed_feed(client, path):
    feed = feedparser.parse(get(client, path).content)
    assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    return feed


def parsed_calendar(client, language):
    return icalendar.Calendar.from_ical(get(client, f"/{language}/notices/events.ics").content)


def cap_index(client):
    """{notice id: [message types]} of the entries in the CAP index."""
    entries = {}
    for entry in parsed_feed(client, "/cap/index.atom").entries:
        message = CapMessage.objects.get(pk=entry.id.removeprefix("urn:uuid:"))
        entries.setdefault(str(message.notice_id), []).append(message.msg_type)
    return entries


def feed_contents(client, language):
    """{feed: {notice id: what the feed calls it}} for every feed a partner can read."""
    atom = parsed_feed(client, f"/{language}/notices/feed.atom")
    rss = parsed_feed(client, f"/{language}/notices/feed.rss")
    calendar = parsed_calendar(client, language)
    return {
        "atom": {entry.id.removeprefix("urn:uuid:"): entry.title for entry in atom.entries},
        "rss": {entry.id.removeprefix("urn:uuid:"): entry.title for entry in rss.entries},
        "ics": {str(event["UID"]).split("@")[0]: str(event["SUMMARY"])
                for event in calendar.walk("VEVENT")},
        "cap": cap_index(client),
    }


def event_fields(days=3):
    starts = timezone.now() + datetime.timedelta(days=days)
    return {"event_starts_at": starts, "event_ends_at": starts + datetime.timedelta(hours=2),
            "place_en": "Denver Public Library", "place_es": "Biblioteca Pública de Denver"}


def cap_document(client, message):
    response = client.get(f"/cap/{message.pk}.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response.content


def test_vendored_cap_schema_is_the_oasis_one():
    assert hashlib.sha256(CAP_XSD.read_bytes()).hexdigest() == CAP_XSD_SHA256


def test_only_public_notices_that_partners_may_repeat_appear_in_feeds(client, publisher):
    now = timezone.now()
    draft = factories.make_notice(**event_fields())
    scheduled = factories.make_notice(publish_at=now + datetime.timedelta(days=1),
                                      **event_fields())
    publishing.publish(scheduled, user=publisher)
    expired = factories.make_notice(**event_fields(days=-9))
    publishing.publish(expired, user=publisher, now=now - datetime.timedelta(days=10))
    withdrawn = factories.make_public_notice(publisher=publisher, **event_fields())
    publishing.withdraw(withdrawn, user=publisher)
    checking = factories.make_notice(certainty=Notice.Certainty.BEING_CHECKED,
                                     severity=Notice.Severity.INFORMATION)
    publishing.publish(checking, user=publisher)
    confirmed = factories.make_notice(confirmed_by=factories.make_organization(),
                                      **event_fields())
    hidden = {str(notice.pk) for notice in (draft, scheduled, expired, withdrawn, checking)}

    before = feed_contents(client, "en")
    assert str(confirmed.pk) not in before["atom"]
    publishing.publish(confirmed, user=publisher)

    for language in LANGUAGES:
        feeds = feed_contents(client, language)
        title = getattr(confirmed, f"title_{language}")
        for name in ("atom", "rss", "ics"):
            assert feeds[name] == {str(confirmed.pk): title}, (language, name)
        assert hidden.isdisjoint(feeds["cap"].keys() - {str(withdrawn.pk)})
        assert feeds["cap"][str(confirmed.pk)] == [CapMessage.MessageType.ALERT]
        # A withdrawn notice is in the CAP index only as its cancellation.
        assert feeds["cap"][str(withdrawn.pk)] == [CapMessage.MessageType.CANCEL]

    assert client.get(f"/cap/{checking.cap_messages.get().pk}.xml").status_code == 404
    scheduled_alert = scheduled.cap_messages.get()
    assert client.get(f"/cap/{scheduled_alert.pk}.xml").status_code == 404
    Notice.objects.filter(pk=scheduled.pk).update(publish_at=now)
    assert client.get(f"/cap/{scheduled_alert.pk}.xml").status_code == 200


def test_atom_and_rss_parse_with_absolute_links_ids_and_dates(client, publisher, settings):
    settings.SITE_URL = "https://amparo.example.org"
    now = timezone.now()
    notices = [factories.make_notice(title_en="Checkpoints & <stops> on I-25",
                                     title_es="Retenes y <paradas> en la I-25",
                                     summary_en="Seen at 5th & Main, say \"neighbors\".",
                                     summary_es="Vistos en la 5ª y Main: <no confirmado>."),
               factories.make_notice(severity=Notice.Severity.INFORMATION)]
    for hours, notice in zip((2, 1), notices, strict=True):
        publishing.publish(notice, user=publisher, now=now - datetime.timedelta(hours=hours))
    publishing.record_published_edit(notices[1], user=publisher)
    for language in LANGUAGES:
        for kind, version in (("atom", "atom10"), ("rss", "rss20")):
            feed = parsed_feed(client, f"/{language}/notices/feed.{kind}")
            assert feed.version == version
            assert feed.feed.link == f"https://amparo.example.org/{language}/notices/"
            assert feed.feed.language == language
            assert len(feed.entries) == 2
            # Newest first.
            assert [entry.id for entry in feed.entries] == [
                f"urn:uuid:{notice.pk}" for notice in reversed(notices)]
            for entry, notice in zip(feed.entries, reversed(notices), strict=True):
                assert entry.title == getattr(notice, f"title_{language}")
                # The summary is plain text, sent as the HTML that shows it.
                assert html.unescape(entry.summary) == getattr(notice, f"summary_{language}")
                assert entry.link == (f"https://amparo.example.org/{language}/notices/"
                                      f"{notice.pk}/")
                assert entry.published_parsed is not None
                assert {tag.term for tag in entry.tags} >= {
                    str(notice.get_severity_display())}
            if kind == "atom":  # RSS 2.0 has no updated date
                assert all(entry.updated_parsed for entry in feed.entries)
                edited = feed.entries[0]
                assert edited.updated_parsed > edited.published_parsed


def test_calendar_keeps_local_time_across_daylight_saving(client, publisher):
    before = datetime.datetime(2026, 3, 7, 10, 0, tzinfo=DENVER)
    after = datetime.datetime(2026, 3, 14, 10, 0, tzinfo=DENVER)  # DST began on 8 March
    winter = factories.make_public_notice(publisher=publisher, event_starts_at=before,
                                          event_ends_at=before + datetime.timedelta(hours=1),
                                          place_en="Aurora Central Library")
    spring = factories.make_public_notice(publisher=publisher, event_starts_at=after,
                                          place_is_confidential=True)
    factories.make_public_notice(publisher=publisher)  # no event: not in the calendar

    calendar = parsed_calendar(client, "en")
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["X-WR-TIMEZONE"] == "America/Denver"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Denver"]
    events = {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}
    assert events.keys() == {str(winter.pk), str(spring.pk)}
    for event in events.values():
        assert event["UID"] and event["DTSTAMP"] and event["DTSTART"]
        assert event["DTSTART"].params["TZID"] == "America/Denver"
        assert event["URL"].startswith(settings.SITE_URL)

    for notice, offset in ((winter, -7), (spring, -6)):
        starts = events[str(notice.pk)].decoded("DTSTART")
        assert (starts.hour, starts.minute) == (10, 0)
        assert starts.utcoffset() == datetime.timedelta(hours=offset)
        assert starts == notice.event_starts_at
    assert events[str(winter.pk)].decoded("DTEND") == before + datetime.timedelta(hours=1)
    assert str(events[str(winter.pk)]["LOCATION"]) == "Aurora Central Library"
    assert str(events[str(spring.pk)]["LOCATION"]) == "Call for the location"


def test_calendar_sequence_grows_with_each_update(client, publisher):
    notice = factories.make_public_notice(publisher=publisher, **event_fields())

    def sequence():
        [event] = parsed_calendar(client, "es").walk("VEVENT")
        assert str(event["SUMMARY"]) == notice.title_es
        return event["SEQUENCE"]

    assert sequence() == 0
    publishing.record_published_edit(notice, user=publisher)
    assert sequence() == 1


def test_every_cap_message_validates_and_refers_to_earlier_ones(client, publisher):
    schema = xmlschema.XMLSchema(str(CAP_XSD))
    region = factories.make_region(name_en="Aurora", name_es="Aurora (es)")
    original = factories.make_public_notice(
        publisher=publisher, severity=Notice.Severity.URGENT, title_en="ICE & police <today>",
        **event_fields())
    original.regions.add(region)
    publishing.record_published_edit(original, user=publisher)
    correction = publishing.mark_found_false(original, user=publisher)
    other = factories.make_public_notice(publisher=publisher, title_en="Long " * 40)
    publishing.withdraw(other, user=publisher)
    alert, edit = original.cap_messages.all()
    [correction_update] = correction.cap_messages.all()
    other_alert, cancel = other.cap_messages.all()
    expected = [(alert, "Alert", []), (edit, "Update", [alert]),
                (correction_update, "Update", [alert, edit]), (other_alert, "Alert", []),
                (cancel, "Cancel", [other_alert])]

    for message, msg_type, earlier in expected:
        document = cap_document(client, message)
        assert list(schema.iter_errors(document)) == []
        root = ET.fromstring(document)
        assert root.findtext("cap:identifier", namespaces=CAP) == f"urn:uuid:{message.pk}"
        assert root.findtext("cap:msgType", namespaces=CAP) == msg_type
        sent = root.findtext("cap:sent", namespaces=CAP)
        assert CAP_TIME.match(sent) and not sent.endswith("Z")
        assert datetime.datetime.fromisoformat(sent) == message.sent_at.replace(microsecond=0)
        assert datetime.datetime.fromisoformat(sent).utcoffset() == (
            message.sent_at.astimezone(DENVER).utcoffset())
        references = root.findtext("cap:references", default="", namespaces=CAP).split()
        assert [reference.split(",")[1] for reference in references] == [
            m.identifier for m in earlier]
        infos = root.findall("cap:info", namespaces=CAP)
        assert [info.findtext("cap:language", namespaces=CAP) for info in infos] == [
            "en-US", "es-US"]
        for info, language in zip(infos, LANGUAGES, strict=True):
            assert info.findtext("cap:event", namespaces=CAP) == getattr(
                message.notice, f"title_{language}")
            assert len(info.findtext("cap:headline", namespaces=CAP)) <= 160
            assert info.findtext("cap:web", namespaces=CAP).endswith(
                f"/{language}/notices/{message.notice_id}/")

    def info(message, field, language="en"):
        root = ET.fromstring(cap_document(client, message))
        return root.find(f"cap:info[cap:language='{language}-US']", namespaces=CAP).findtext(
            f"cap:{field}", namespaces=CAP)

    assert info(alert, "area/cap:areaDesc", "es") == "Aurora (es)"
    assert info(other_alert, "area/cap:areaDesc") == "Area served by Amparo"
    assert (info(alert, "severity"), info(alert, "urgency"), info(alert, "certainty")) == (
        "Severe", "Immediate", "Observed")
    assert info(correction_update, "certainty") == "Unlikely"


def test_cancellation_stays_in_cap_index_for_seven_days(client, publisher):
    now = timezone.now()
    recent = factories.make_notice(confirmed_by=factories.make_organization())
    publishing.publish(recent, user=publisher, now=now - datetime.timedelta(days=6, hours=1))
    publishing.withdraw(recent, user=publisher, now=now - datetime.timedelta(days=6))
    old = factories.make_notice(confirmed_by=factories.make_organization())
    publishing.publish(old, user=publisher, now=now - datetime.timedelta(days=9))
    publishing.withdraw(old, user=publisher, now=now - datetime.timedelta(days=8))
    current = factories.make_public_notice(publisher=publisher)
    publishing.record_published_edit(current, user=publisher)

    entries = cap_index(client)
    assert entries == {str(recent.pk): ["Cancel"], str(current.pk): ["Update"]}
    recent.cap_messages.filter(msg_type="Cancel").update(
        sent_at=timezone.now() - datetime.timedelta(days=7, minutes=1))
    assert cap_index(client) == {str(current.pk): ["Update"]}


def feed_paths():
    message = CapMessage.objects.order_by("-sent_at").first()
    return {"atom": "/en/notices/feed.atom", "rss": "/es/notices/feed.rss",
            "ics": "/en/notices/events.ics", "cap-index": "/cap/index.atom",
            "cap-message": f"/cap/{message.pk}.xml"}


def count_queries(client):
    counts = {}
    for name, path in feed_paths().items():
        with CaptureQueriesContext(connection) as queries:
            get(client, path)
        counts[name] = len(queries)
    return counts


def add_notices(count, publisher, region):
    for n in range(count):
        notice = factories.make_public_notice(publisher=publisher, **event_fields(days=n))
        notice.regions.add(region)
        publishing.record_published_edit(notice, user=publisher)
        if n % 2:
            publishing.withdraw(factories.make_public_notice(publisher=publisher),
                                user=publisher)


def test_query_counts_do_not_grow_with_the_notices(client, publisher):
    region = factories.make_region()
    add_notices(2, publisher, region)
    small = count_queries(client)
    add_notices(18, publisher, region)
    large = count_queries(client)
    assert len(parsed_feed(client, "/en/notices/feed.atom").entries) == 20
    assert small == large == EXPECTED_QUERIES
