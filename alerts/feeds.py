"""What other systems read: Atom and RSS, iCalendar and CAP 1.2 for notices.

Feeds carry only what partners may repeat (`Notice.objects.for_feeds()`), never a report
still being checked. Every address in them starts with SITE_URL, whatever host the
request came through, because feeds are read far from the request that made them.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import CapMessage, Notice

# Newest notices in the Atom, RSS and iCalendar feeds; older ones are on the site.
FEED_LENGTH = 50
# How long a cancellation stays in the CAP index, so partners polling it see it.
CANCEL_KEPT_FOR = datetime.timedelta(days=7)
SENDER_NAME = "Amparo"
PRODID = "-//Amparo//Notices//EN"

# CAP 1.2 values (section 3.2.2 of the standard) for the notice's own vocabulary.
CAP_URGENCY = {
    Notice.Severity.URGENT: "Immediate",  # happening now: act on it
    Notice.Severity.ADVISORY: "Expected",  # act soon, e.g. within the hour
    Notice.Severity.INFORMATION: "Unknown",  # no time frame for a response
}
CAP_SEVERITY = {
    Notice.Severity.URGENT: "Severe",  # significant threat to liberty or family
    Notice.Severity.ADVISORY: "Moderate",
    Notice.Severity.INFORMATION: "Minor",
}
CAP_CERTAINTY = {
    Notice.Certainty.CONFIRMED: "Observed",  # seen or checked by the confirming organization
    Notice.Certainty.FOUND_FALSE: "Unlikely",  # checked and found not to have happened
    Notice.Certainty.BEING_CHECKED: "Unknown",  # never sent: such reports stay off feeds
}


def absolute(path):
    return settings.SITE_URL + path


def site_host():
    return urlsplit(settings.SITE_URL).hostname


def notice_urn(notice):
    return f"urn:uuid:{notice.pk}"


class NoticeRssFeed(Feed):
    """Notices partners may repeat, newest first, in the language of the address."""

    title = _("Amparo notices")
    description = _("Confirmed notices and corrections from Amparo, newest first.")
    author_name = SENDER_NAME
    item_guid_is_permalink = False

    def link(self):
        return absolute(reverse("alerts:notice-list"))

    def feed_url(self):
        return absolute(reverse("alerts:notice-feed-rss"))

    def items(self):
        return Notice.objects.public().for_feeds().order_by("-publish_at")[:FEED_LENGTH]

    def item_title(self, notice):
        # Plain text, escaped once by the XML writer: Atom titles are type "text".
        return notice.title

    def feed_guid(self):
        return self.feed_url()

    def item_description(self, notice):
        # Feeds read descriptions as HTML; the summary is plain text.
        return escape(notice.summary)

    def item_link(self, notice):
        return absolute(notice.get_absolute_url())

    def item_guid(self, notice):
        return notice_urn(notice)

    def item_pubdate(self, notice):
        return notice.publish_at

    def item_updateddate(self, notice):
        return notice.updated_for_visitors_at or notice.publish_at

    def item_categories(self, notice):
        return [notice.get_severity_display(), notice.get_certainty_display()]


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed
    subtitle = NoticeRssFeed.description

    def feed_url(self):
        return absolute(reverse("alerts:notice-feed-atom"))


def notice_event(notice, zone):
    """One notice as a VEVENT; its SEQUENCE grows with each CAP message, so edits show."""
    if notice.place_is_confidential:
        location = gettext("Call for the location")
    else:
        location = notice.place or None
    return icalendar.Event.new(
        uid=f"{notice.pk}@{site_host()}",
        stamp=notice.updated_for_visitors_at or notice.publish_at,
        start=notice.event_starts_at.astimezone(zone),
        end=notice.event_ends_at.astimezone(zone) if notice.event_ends_at else None,
        summary=notice.title,
        description=notice.summary,
        url=absolute(notice.get_absolute_url()),
        location=location,
        sequence=max(notice.message_count - 1, 0),
    )


def notice_calendar(request):
    """Notices with an event time, for calendar apps, in the language of the address."""
    zone = timezone.get_default_timezone()
    notices = (Notice.objects.public().for_feeds().filter(event_starts_at__isnull=False)
               .annotate(message_count=Count("cap_messages"))
               .order_by("-event_starts_at")[:FEED_LENGTH])
    calendar = icalendar.Calendar.new(
        prodid=PRODID, name=gettext("Amparo notices"),
        uid=f"notices-{translation.get_language()}@{site_host()}",
        url=absolute(reverse("alerts:notice-list")),
        refresh_interval=datetime.timedelta(hours=1))
    calendar.add("x-wr-timezone", zone.key)
    calendar.add_component(icalendar.Timezone.from_tzid(zone.key))
    for notice in notices:
        calendar.add_component(notice_event(notice, zone))
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


def cap_time(moment):
    """CAP's date-time: local time with a numeric offset, never `Z` (the schema refuses it)."""
    return moment.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def cap_sender():
    return f"amparo@{site_host()}"


def cap_info(notice, regions, code):
    """One CAP `info` block in one language.

    Mapping from a notice to CAP 1.2 (section 3.2.2):
    - category: Safety, but Other for information, which is not about a threat;
    - responseType: Monitor (follow the hotline and the site) for urgent and advisory,
      None for information, AllClear for a notice found false;
    - urgency: urgent Immediate, advisory Expected, information Unknown; Past once found
      false, since nobody needs to act any more;
    - severity: urgent Severe, advisory Moderate, information Minor;
    - certainty: confirmed Observed, found false Unlikely.
    """
    found_false = notice.certainty == Notice.Certainty.FOUND_FALSE
    information = notice.severity == Notice.Severity.INFORMATION
    if found_false:
        response = "AllClear"
    else:
        response = "None" if information else "Monitor"
    with translation.override(code):
        area = ", ".join(region.name for region in regions)
        return {
            "language": f"{code}-US",
            "category": "Other" if information else "Safety",
            "event": notice.title,
            "response_type": response,
            "urgency": "Past" if found_false else CAP_URGENCY[notice.severity],
            "severity": CAP_SEVERITY[notice.severity],
            "certainty": CAP_CERTAINTY[notice.certainty],
            "effective": cap_time(notice.publish_at),
            "onset": cap_time(notice.event_starts_at) if notice.event_starts_at else "",
            "expires": cap_time(notice.expires_at) if notice.expires_at else "",
            "headline": Truncator(notice.title).chars(160),
            "description": "\n\n".join(filter(None, (notice.summary, (notice.body or "").strip()))),
            "web": absolute(notice.get_absolute_url()),
            "area": area or gettext("Area served by Amparo"),
        }


def cap_message(request, pk):
    """One CAP 1.2 message with an `info` per language; only once its notice was public."""
    message = get_object_or_404(
        CapMessage.objects.select_related("notice")
        .filter(notice__in=Notice.objects.visible().for_feeds()), pk=pk)
    notice = message.notice
    regions = list(notice.regions.all())
    sender = cap_sender()
    references = " ".join(f"{sender},{earlier.identifier},{cap_time(earlier.sent_at)}"
                          for earlier in message.earlier_messages())
    context = {
        "message": message,
        "sender": sender,
        "sender_name": SENDER_NAME,
        "sent": cap_time(message.sent_at),
        "references": references,
        "infos": [cap_info(notice, regions, code) for code, _name in settings.LANGUAGES],
    }
    return HttpResponse(render_to_string("alerts/cap_message.xml", context, request),
                        content_type="application/xml; charset=utf-8")


class CapIndexFeed(Feed):
    """The CAP messages a partner needs now: the latest of every public notice, and recent
    cancellations. Not truncated: a partner must see every current notice."""

    feed_type = Atom1Feed
    title = _("Amparo CAP messages")
    subtitle = _("The latest CAP 1.2 message of every current notice, and cancellations "
                 "from the last seven days.")
    author_name = SENDER_NAME
    language = settings.LANGUAGE_CODE

    def __call__(self, request, *args, **kwargs):
        # The address has no language prefix; entries speak the site's default language.
        with translation.override(settings.LANGUAGE_CODE):
            return super().__call__(request, *args, **kwargs)

    def link(self):
        return absolute(reverse("alerts:notice-list"))

    def feed_url(self):
        return absolute(reverse("cap:index"))

    def feed_guid(self):
        return self.feed_url()

    def items(self):
        now = timezone.now()
        latest = (CapMessage.objects.filter(notice=OuterRef("notice"))
                  .order_by("-sent_at", "-pk").values("pk")[:1])
        current = Q(notice__in=Notice.objects.public(now).for_feeds(), pk=Subquery(latest))
        cancelled = Q(msg_type=CapMessage.MessageType.CANCEL,
                      sent_at__gt=now - CANCEL_KEPT_FOR,
                      notice__in=Notice.objects.visible(now).for_feeds())
        return (CapMessage.objects.filter(current | cancelled).select_related("notice")
                .order_by("-sent_at"))

    def item_title(self, message):
        return gettext("%(type)s: %(title)s") % {"type": message.get_msg_type_display(),
                                                 "title": message.notice.title}

    def item_description(self, message):
        return escape(message.notice.summary)

    def item_link(self, message):
        return absolute(reverse("cap:message", kwargs={"pk": message.pk}))

    def item_guid(self, message):
        return message.identifier

    def item_pubdate(self, message):
        return message.sent_at

    def item_updateddate(self, message):
        return message.sent_at


cap_index = CapIndexFeed()
