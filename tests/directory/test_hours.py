"""Open now: Denver wall-clock hours across midnight, daylight-saving changes and unknown days."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from directory import search
from directory.hours import CLOSED, OPEN, open_state, state_from_schedule, weekly_schedule
from directory.models import HotlineHours, LocationHours, ServiceHours
from tests import factories

DENVER = ZoneInfo("America/Denver")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def row(weekday, opens=None, closes=None, *, is_24_hours=False, is_closed=False):
    return SimpleNamespace(
        weekday=weekday, is_24_hours=is_24_hours, is_closed=is_closed,
        opens=datetime.time(*opens) if opens else None,
        closes=datetime.time(*closes) if closes else None)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def denver(*args, fold=0):
    return datetime.datetime(*args, tzinfo=DENVER, fold=fold)


# Monday to Friday 9 to 5, weekends closed: every day known.
OFFICE = [row(day, (9,), (17,)) for day in (MON, TUE, WED, THU, FRI)] + [
    row(SAT, is_closed=True), row(SUN, is_closed=True)]


def test_a_night_line_is_open_after_midnight_on_the_next_day():
    night = [row(MON, (22,), (2,)), row(TUE, is_closed=True)]
    assert open_state(night, denver(2026, 11, 23, 21, 59)) == CLOSED
    assert open_state(night, denver(2026, 11, 23, 22, 0)) == OPEN  # Monday 22:00
    assert open_state(night, denver(2026, 11, 24, 1, 0)) == OPEN  # Tuesday 01:00, a closed day
    assert open_state(night, denver(2026, 11, 24, 2, 0)) == CLOSED
    assert open_state(night, denver(2026, 11, 25, 1, 0)) is None  # Wednesday: not known


def test_sunday_night_runs_into_monday_morning():
    sunday = [row(SUN, (20,), (3,))]
    assert weekly_schedule(sunday)["open"] == [[0, 180], [9840, 10080]]
    assert open_state(sunday, denver(2026, 11, 30, 2, 59)) == OPEN  # Monday
    assert open_state(sunday, denver(2026, 11, 29, 23, 0)) == OPEN  # Sunday


def test_24_hours_closed_days_and_unknown_days():
    rows = [row(MON, is_24_hours=True), row(TUE, is_closed=True)]
    assert open_state(rows, denver(2026, 11, 23, 3, 33)) == OPEN
    assert open_state(rows, denver(2026, 11, 24, 12, 0)) == CLOSED
    assert open_state(rows, denver(2026, 11, 25, 12, 0)) is None  # never "closed" unknown
    assert open_state([], denver(2026, 11, 25, 12, 0)) is None
    assert open_state([row(WED, (9,), None)], denver(2026, 11, 25, 12, 0)) is None
    assert weekly_schedule([row(MON, (9,), (12,)), row(MON, (12,), (17,))])["open"] == [
        [540, 1020]]  # a lunch-hour split that touches is one stretch


def test_spring_forward_on_2026_03_08():
    # The same instant in UTC is an hour later on the wall clock once summer time starts.
    assert open_state(OFFICE, utc(2026, 3, 6, 15, 30)) == CLOSED  # Friday 08:30 MST
    assert open_state(OFFICE, utc(2026, 3, 9, 15, 30)) == OPEN  # Monday 09:30 MDT
    assert open_state(OFFICE, utc(2026, 3, 9, 23, 30)) == CLOSED  # Monday 17:30 MDT
    # A Saturday night line that closes at 03:00: 02:xx never happens that Sunday.
    night = [row(SAT, (22,), (3,)), row(SUN, is_closed=True)]
    assert open_state(night, utc(2026, 3, 8, 8, 59)) == OPEN  # 01:59 MST
    assert open_state(night, utc(2026, 3, 8, 9, 0)) == CLOSED  # 03:00 MDT, one minute on
    assert open_state(night, denver(2026, 3, 8, 1, 30)) == OPEN


def test_fall_back_on_2026_11_01():
    assert open_state(OFFICE, utc(2026, 10, 30, 15, 30)) == OPEN  # Friday 09:30 MDT
    assert open_state(OFFICE, utc(2026, 11, 2, 15, 30)) == CLOSED  # Monday 08:30 MST
    assert open_state(OFFICE, utc(2026, 11, 2, 16, 30)) == OPEN  # Monday 09:30 MST
    # 01:30 happens twice; a line open until 02:00 is open both times, then closed.
    night = [row(SAT, (22,), (2,)), row(SUN, is_closed=True)]
    first, second = denver(2026, 11, 1, 1, 30), denver(2026, 11, 1, 1, 30, fold=1)
    assert second.astimezone(datetime.UTC) - first.astimezone(datetime.UTC) == datetime.timedelta(
        hours=1)
    assert open_state(night, first) == open_state(night, second) == OPEN
    assert open_state(night, utc(2026, 11, 1, 9, 0)) == CLOSED  # 02:00 MST


@pytest.fixture
def night_line(db):
    line = factories.make_hotline(name_en="Night line", phone="+18448648341")
    HotlineHours.objects.create(hotline=line, weekday=MON, opens=datetime.time(22),
                                closes=datetime.time(2))
    HotlineHours.objects.create(hotline=line, weekday=TUE, is_closed=True)
    return line


def test_the_search_filter_uses_the_same_rule_across_midnight(night_line):
    def found(when):
        return [entry.title for entry in search.search(
            "night", language="en", now=when, filters=search.Filters(is_open=True)).entries]

    assert found(denver(2026, 11, 24, 1, 0)) == ["Night line"]  # Tuesday 01:00
    assert found(denver(2026, 11, 24, 3, 0)) == []
    assert found(denver(2026, 11, 23, 21, 0)) == []
    result = search.search("night", language="en", now=denver(2026, 11, 24, 1, 0))
    assert result.facets["is_open"] == 1
    assert state_from_schedule(result.entries[0].hours, denver(2026, 11, 24, 1, 0)) == OPEN


@pytest.fixture
def at(monkeypatch, settings):
    """Move the clock. The page cache is off: its entries expire on the real clock."""
    settings.PAGE_CACHE = False

    def move(when):
        monkeypatch.setattr(timezone, "now", lambda: when)

    return move


def test_pages_say_open_or_closed_and_nothing_when_not_known(client, night_line, at):
    unknown = factories.make_hotline(name_en="Day line")
    at(denver(2026, 11, 24, 1, 0))
    detail = client.get(night_line.get_absolute_url()).content.decode()
    assert "Open now" in detail
    listing = client.get("/en/hotlines/").content.decode()
    assert listing.count("Open now") == 1
    results = client.get("/en/search/", {"q": "line"}).content.decode()
    assert results.count('"label label-confirmed">Open now') == 1
    assert "Open now (1)" in results  # the filter's count

    at(denver(2026, 11, 24, 9, 0))
    assert "Closed now" in client.get(night_line.get_absolute_url()).content.decode()
    listing = client.get("/en/hotlines/").content.decode()
    assert (listing.count("Closed now"), listing.count("Open now")) == (1, 0)
    day = client.get(unknown.get_absolute_url()).content.decode()
    assert "Open now" not in day and "Closed now" not in day

    at(denver(2026, 11, 25, 9, 0))  # Wednesday: no hours known
    listing = client.get("/en/hotlines/").content.decode()
    assert "Closed now" not in listing and "Open now" not in listing


def test_services_and_each_office_of_an_organization_say_their_own_state(client, db, at):
    service = factories.make_service(name_en="Clinic")
    for weekday in range(7):
        ServiceHours.objects.create(service=service, weekday=weekday, is_24_hours=True)
    organization = factories.make_organization(name_en="Two offices")
    for street, hours in (("1 North St", dict(is_24_hours=True)),
                          ("2 South St", dict(is_closed=True))):
        location = factories.make_location(street_address=street, organization=organization)
        LocationHours.objects.create(location=location, weekday=WED, **hours)
    at(denver(2026, 11, 25, 12, 0))
    assert "Open now" in client.get(service.get_absolute_url()).content.decode()
    html = client.get(organization.get_absolute_url()).content.decode()
    assert html.index("1 North St") < html.index("Open now") < html.index("2 South St")
    assert html.index("2 South St") < html.index("Closed now")
    # The organization's card: open, as one office is.
    listing = client.get("/en/organizations/").content.decode()
    card = listing[listing.index("Two offices"):]
    assert card.index("Open now") < card.index("</li>")
