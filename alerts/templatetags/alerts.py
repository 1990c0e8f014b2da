"""Notices beside the directory's pages; each tag runs a fixed number of queries."""

from django import template
from django.conf import settings
from django.db.models import Count, Subquery
from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from alerts.models import Notice
from alerts.rendering import render_body

register = template.Library()

HOME_SIZE = 5
BESIDE_RECORD_SIZE = 10
# Loud on purpose: a screenshot forwarded without its link must still say how sure it is.
CERTAINTY_LABELS = {
    Notice.Certainty.CONFIRMED: pgettext_lazy("notice certainty label", "CONFIRMED"),
    Notice.Certainty.BEING_CHECKED: pgettext_lazy("notice certainty label", "BEING CHECKED"),
    Notice.Certainty.FOUND_FALSE: pgettext_lazy("notice certainty label", "FALSE"),
}
RELATED_FIELDS = ("organizations", "hotlines", "services", "legal_funds",
                  "detention_facilities")


@register.filter
def notice_body(markdown_text):
    return render_body(markdown_text)


@register.filter
def shown_certainty(notice):
    """How sure a notice is now: a withdrawn one with a found-false correction is false."""
    correction = latest_correction(notice)
    if correction and correction.certainty == Notice.Certainty.FOUND_FALSE:
        return Notice.Certainty.FOUND_FALSE
    return notice.certainty


@register.filter
def certainty_label(notice):
    return CERTAINTY_LABELS[shown_certainty(notice)]


@register.filter
def latest_correction(notice):
    """The newest visible correction of a withdrawn notice (prefetched by the views)."""
    if notice.status != Notice.Status.WITHDRAWN:
        return None
    return next(iter(notice.corrections.all()), None)


@register.filter
def notice_time(value):
    """Date and time in the site's time zone, with the zone, e.g. "June 21, 2019, 3 p.m. MDT"."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {dateformat.format(local, 'T')}"


@register.filter
def iso_datetime(value):
    """For `<time datetime>`, which takes at most three digits of a second."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else ""


@register.filter
def notice_classes(notice):
    """Severity styling; a correction keeps the severity of the notice it corrects."""
    classes = ["notice", f"notice-{notice.severity}"]
    if notice.certainty == Notice.Certainty.FOUND_FALSE:
        classes.append("notice-false")
    if notice.status == Notice.Status.WITHDRAWN:
        classes.append("notice-withdrawn")
    elif notice.is_expired:
        classes.append("notice-expired")
    return " ".join(classes)

@register.filter
def related_records(notice):
    """The directory records a notice is about, from the prefetched relations."""
    return [record for field in RELATED_FIELDS for record in getattr(notice, field).all()]


@register.simple_tag
def notice_share_text(notice):
    """What a share link pre-fills: enough to tell the truth if the link is cut off."""
    return _("%(certainty)s · %(date)s — %(title)s %(url)s") % {
        "certainty": certainty_label(notice), "date": notice_time(notice.publish_at),
        "title": notice.title, "url": settings.SITE_URL + notice.get_absolute_url()}


@register.inclusion_tag("includes/notice_banner.html", takes_context=True)
def urgent_banner(context):
    """While any urgent notice is public; not on an address no URL matched.

    Such a 404 page is also rendered, then thrown away, when `/` redirects to `/en/`:
    it must cost no query.
    """
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return {}
    # The newest, with how many are up beside it, in one statement. Both read only the
    # index of notices still in effect (alerts_notice_current, which holds the id too), so
    # a crowd of urgent notices costs no table read or sort of whole rows.
    up_now = Notice.objects.public().urgent()
    count = up_now.order_by().values("severity").annotate(total=Count("pk")).values("total")
    newest = up_now.order_by("-publish_at", "-id").values("pk")[:1]
    latest = Notice.objects.filter(pk=Subquery(newest)).only("severity", "title").annotate(
        public_urgent=Subquery(count[:1])).first()
    return {"latest": latest, "count": latest.public_urgent if latest else 0}


@register.inclusion_tag("includes/notice_section.html")
def home_notices():
    notices = Notice.objects.public().urgent_first().with_card_facts()[:HOME_SIZE]
    return {"notices": notices, "show_empty": True}


@register.inclusion_tag("includes/notice_section.html")
def notices_for(record):
    notices = Notice.objects.public().about(record).urgent_first().with_card_facts()
    return {"notices": notices[:BESIDE_RECORD_SIZE]}


@register.inclusion_tag("includes/notice_section.html")
def notices_for_region(region_ids):
    """Notices for a region and every region inside it (ids from the region page)."""
    notices = Notice.objects.public().in_regions(region_ids).urgent_first().with_card_facts()
    return {"notices": notices[:BESIDE_RECORD_SIZE]}


@register.inclusion_tag("includes/notice_feed_links.html")
def notice_feed_links():
    return {}

