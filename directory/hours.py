"""Whether a line, service or office is open now, from the hours staff typed.

Hours are Denver wall-clock times. A week is the minutes from Monday 00:00 to Sunday
24:00 local time, so daylight-saving changes need nothing special: the time now is turned
into local time with zoneinfo and looked up in the week. A closing time before the opening
time runs past midnight into the next day (Sunday night runs into Monday morning). A weekday
with no row is not known, and "not known" is never shown as "closed".
"""

from zoneinfo import ZoneInfo

from django.utils import timezone

# Staff type Denver times; a deployment in another zone changes this one name.
HOURS_TIME_ZONE = ZoneInfo("America/Denver")
DAY = 24 * 60
WEEK = 7 * DAY

OPEN = "open"
CLOSED = "closed"


def _minutes(value):
    return value.hour * 60 + value.minute


def weekly_schedule(rows):
    """The open stretches of the week as merged [start, end) minutes, and the weekdays known.

    `rows` are OpenHours rows of one place or line (or of several places, for an
    organization: open when any of them is).
    """
    intervals, known = [], set()
    for row in rows:
        start_of_day = row.weekday * DAY
        if row.is_closed:
            known.add(row.weekday)
            continue
        if row.is_24_hours:
            start, end = start_of_day, start_of_day + DAY
        elif row.opens is not None and row.closes is not None and row.opens != row.closes:
            start = start_of_day + _minutes(row.opens)
            end = start_of_day + _minutes(row.closes)
            if end <= start:
                end += DAY
        else:
            continue  # half-typed hours tell nothing
        known.add(row.weekday)
        if end > WEEK:
            intervals.extend([[start, WEEK], [0, end - WEEK]])
        else:
            intervals.append([start, end])
    return {"open": _merged(intervals), "known": sorted(known)}


def _merged(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def minute_of_week(when=None):
    """Minutes since Monday 00:00 in Denver at this moment (now by default)."""
    local = (when or timezone.now()).astimezone(HOURS_TIME_ZONE)
    return local.weekday() * DAY + local.hour * 60 + local.minute


def state_from_schedule(schedule, when=None):
    """OPEN, CLOSED, or None when the hours for that day are not known."""
    if not schedule:
        return None
    minute = minute_of_week(when)
    if any(start <= minute < end for start, end in schedule["open"]):
        return OPEN
    if minute // DAY in schedule["known"]:
        return CLOSED
    return None


def open_state(rows, when=None):
    """OPEN, CLOSED or None for these hours rows at this moment (now by default)."""
    return state_from_schedule(weekly_schedule(rows), when)

