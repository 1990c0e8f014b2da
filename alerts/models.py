"""Dated notices that staff publish beside the directory's resources."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# How long a notice stays up when staff do not say otherwise.
DEFAULT_LIFETIMES = {
    "urgent": datetime.timedelta(hours=24),
    "advisory": datetime.timedelta(days=7),
    "information": datetime.timedelta(days=30),
}
# The directory relations a notice can point at, by the related model's label.
RELATED_FIELDS = {
    "directory.organization": "organizations",
    "directory.service": "services",
    "directory.hotline": "hotlines",
    "directory.legalfund": "legal_funds",
    "directory.detentionfacility": "detention_facilities",
}


class SeverityRank(models.Func):
    """0 for an urgent notice, 1 for an advisory, 2 for the rest.

    Written out without parameters, so that SQLite, like PostgreSQL, walks the index on
    this expression (Notice.Meta) for "urgent first, newest first" instead of sorting every
    public notice.
    """

    template = "CASE %(expressions)s WHEN 'urgent' THEN 0 WHEN 'advisory' THEN 1 ELSE 2 END"
    output_field = models.PositiveSmallIntegerField()

    def __init__(self):
        super().__init__(F("severity"))


class NoticeQuerySet(models.QuerySet):
    def public(self, now=None):
        """Shown to visitors right now: published, started and not yet expired."""
        now = now or timezone.now()
        return self.filter(status=Notice.Status.PUBLISHED, publish_at__lte=now,
                           expires_at__gt=now)

    def for_feeds(self):
        """What partner systems may repeat: never a report that is still being checked."""
        return self.exclude(certainty=Notice.Certainty.BEING_CHECKED)

    def urgent(self):
        return self.filter(severity=Notice.Severity.URGENT)

    def urgent_first(self):
        return self.order_by(SeverityRank(), "-publish_at", "-id")

    def visible(self, now=None):
        """Every notice a visitor may open: public, expired or withdrawn, never a draft."""
        now = now or timezone.now()
        return self.exclude(status=Notice.Status.DRAFT).filter(publish_at__lte=now)

    def archived(self, now=None):
        now = now or timezone.now()
        return self.visible(now).filter(
            Q(status=Notice.Status.WITHDRAWN) | Q(expires_at__lte=now))

    def with_card_facts(self):
        """What a notice's first screen shows, in a fixed number of queries.

        Related records are the published ones only: a link to an unpublished one is a 404.
        """
        from directory.models import (
            DetentionFacility,
            Hotline,
            LegalFund,
            Organization,
            Service,
        )

        def linked(model):
            # A card links to each record by its name: nothing else of it is read.
            return model.objects.published().only("slug", "name")

        return self.select_related("confirmed_by", "corrects").prefetch_related(
            "regions",
            Prefetch("organizations", linked(Organization)),
            Prefetch("hotlines", linked(Hotline)),
            Prefetch("services", linked(Service)),
            Prefetch("legal_funds", linked(LegalFund)),
            Prefetch("detention_facilities", linked(DetentionFacility)),
            "sources",
        )

    def with_corrections(self):
        """Withdrawn notices link to the correction that replaced them, if any."""
        return self.prefetch_related(
            Prefetch("corrections", Notice.objects.visible().order_by("-publish_at")))

    def in_regions(self, region_ids):
        return self.filter(regions__in=region_ids).distinct()

    def about(self, record):
        """Notices related to a directory record, whatever its kind."""
        field = RELATED_FIELDS.get(record._meta.label_lower)
        return self.filter(**{field: record}) if field else self.none()


class Notice(models.Model):
    """A dated alert: what is known, how sure it is, who confirmed it, until when."""

    class Severity(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        ADVISORY = "advisory", _("Advisory")
        INFORMATION = "information", _("Information")

    class Certainty(models.TextChoices):
        BEING_CHECKED = "being_checked", _("Being checked")
        CONFIRMED = "confirmed", _("Confirmed")
        FOUND_FALSE = "found_false", _("Found false")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300,
                               help_text=_("One sentence that stands on its own in a screenshot."))
    body = models.TextField(_("body"), blank=True,
                            help_text=_("Markdown: **bold**, lists and links. No names, "
                                        "street addresses or phone numbers of private people."))
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices,
                                default=Severity.INFORMATION)
    certainty = models.CharField(_("certainty"), max_length=20, choices=Certainty.choices,
                                 default=Certainty.BEING_CHECKED)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, editable=False)
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True,
        help_text=_("Leave empty to publish at once; a later time schedules it."))
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True,
        help_text=_("Leave empty for the default: 24 hours for urgent, 7 days for advisory, "
                    "30 days for information."))
    event_starts_at = models.DateTimeField(_("event starts at"), null=True, blank=True)
    event_ends_at = models.DateTimeField(_("event ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True,
                             help_text=_("A public place only, e.g. “Denver Public Library”."))
    place_is_confidential = models.BooleanField(
        _("call for the location"), default=False,
        help_text=_("Visitors see “call for the location” instead of a place."))
    regions = models.ManyToManyField("directory.Region", blank=True, related_name="notices",
                                     verbose_name=_("regions"))
    organizations = models.ManyToManyField("directory.Organization", blank=True,
                                           related_name="notices",
                                           verbose_name=_("organizations"))
    services = models.ManyToManyField("directory.Service", blank=True, related_name="notices",
                                      verbose_name=_("services"))
    hotlines = models.ManyToManyField("directory.Hotline", blank=True, related_name="notices",
                                      verbose_name=_("hotlines"))
    legal_funds = models.ManyToManyField("directory.LegalFund", blank=True,
                                         related_name="notices", verbose_name=_("legal funds"))
    detention_facilities = models.ManyToManyField(
        "directory.DetentionFacility", blank=True, related_name="notices",
        verbose_name=_("detention facilities"))
    sources = models.ManyToManyField("directory.Source", blank=True, related_name="notices",
                                     verbose_name=_("sources"))
    confirmed_by = models.ForeignKey(
        "directory.Organization", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
        help_text=_("The organization whose people saw it or checked it."))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    corrects = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("corrects"),
                                 help_text=_("The notice this one corrects."))
    updated_for_visitors_at = models.DateTimeField(_("last updated for visitors"), null=True,
                                                   editable=False)

    # The publishing workflow, written only by alerts.publishing.
    awaiting_approval_since = models.DateTimeField(_("awaiting approval since"), null=True,
                                                   editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     editable=False, related_name="+",
                                     verbose_name=_("publication asked by"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     editable=False, related_name="+",
                                     verbose_name=_("published by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    editable=False, related_name="+",
                                    verbose_name=_("approved by"))
    published_alone_because = models.TextField(_("published alone because"), blank=True,
                                               editable=False)
    needs_review = models.BooleanField(_("needs review"), default=False, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, editable=False)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     editable=False, related_name="+",
                                     verbose_name=_("withdrawn by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = NoticeQuerySet.as_manager()

    class Meta:
        # The id last, so notices published together keep one order between requests.
        ordering = ["-publish_at", "-created_at", "-id"]
        indexes = [
            # Every "urgent first" list.
            models.Index(SeverityRank(), F("publish_at").desc(), F("id").desc(),
                         name="alerts_notice_urgent_first"),
            # The urgent banner's newest notice and count; the id makes it covering.
            models.Index(fields=["status", "severity", "expires_at", "publish_at", "id"],
                         name="alerts_notice_current"),
        ]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [("publish_notice", _("Can publish, approve, correct and withdraw notices"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("alerts:notice-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.certainty == self.Certainty.BEING_CHECKED:
            if self.place or self.place_is_confidential:
                errors["place"] = _("A report that is still being checked names no place.")
            if self.event_starts_at or self.event_ends_at:
                errors["event_starts_at"] = _(
                    "A report that is still being checked names no time.")
        starts, ends = self.event_starts_at, self.event_ends_at
        if starts and ends and ends < starts:
            errors["event_ends_at"] = _("The event cannot end before it starts.")
        if self.publish_at and self.expires_at and self.expires_at <= self.publish_at:
            errors["expires_at"] = _("A notice must expire after it is published.")
        if self.certainty == self.Certainty.FOUND_FALSE and not self.corrects_id:
            errors["corrects"] = _("Say which notice this report found false.")
        if errors:
            raise ValidationError(errors)

    def default_expiry(self, start):
        return start + DEFAULT_LIFETIMES[self.severity]

    @property
    def is_public(self):
        now = timezone.now()
        return (self.status == self.Status.PUBLISHED and self.publish_at is not None
                and self.publish_at <= now and self.expires_at is not None
                and now < self.expires_at)

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_in_feeds(self):
        return self.certainty != self.Certainty.BEING_CHECKED

    def missing_translations(self):
        """The visitor-facing fields left empty in some language, named as the form labels
        them (e.g. "Body [es]")."""
        return [str(capfirst(self._meta.get_field(f"{field}_{code}").verbose_name))
                for field in ("title", "summary", "body")
                for code, _name in settings.LANGUAGES if not getattr(self, f"{field}_{code}")]


class CapMessage(models.Model):
    """One CAP 1.2 message about a notice: its first alert, each update, its cancellation."""

    class MessageType(models.TextChoices):
        ALERT = "Alert", _("Alert")
        UPDATE = "Update", _("Update")
        CANCEL = "Cancel", _("Cancel")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.ForeignKey(Notice, models.CASCADE, related_name="cap_messages",
                               verbose_name=_("notice"))
    msg_type = models.CharField(_("message type"), max_length=10, choices=MessageType.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("CAP message")
        verbose_name_plural = _("CAP messages")

    def __str__(self):
        return f"{self.msg_type} {self.identifier}"

    @property
    def identifier(self):
        return f"urn:uuid:{self.id}"

    def earlier_messages(self):
        """The messages this one refers to: the notice's own, and the corrected notice's."""
        notices = [self.notice_id] + ([self.notice.corrects_id] if self.notice.corrects_id else [])
        return CapMessage.objects.filter(notice__in=notices, sent_at__lt=self.sent_at)


class NoticeTemplate(models.Model):
    """Pre-written text so a notice can be published from a phone in minutes."""

    name = models.CharField(_("name"), max_length=100)
    severity = models.CharField(_("severity"), max_length=20, choices=Notice.Severity.choices)
    certainty = models.CharField(_("certainty"), max_length=20, choices=Notice.Certainty.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")

    def __str__(self):
        return self.name
