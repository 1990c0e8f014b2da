"""Know-your-rights content that staff keep, organised by the situation a visitor is in."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A lawyer's review is trusted for this long; after that the page says it is old.
REVIEW_FRESH_DAYS = 183


class RightsSection(models.Model):
    """One situation ("agents at my door") or one general rule, as a few plain steps."""

    class Topic(models.TextChoices):
        DOOR = "door", _("Agents at my door")
        WORK = "work", _("At work")
        STREET = "street", _("In a car or on the street")
        DETAINED = "detained", _("Someone was detained")
        LAWYER = "lawyer", _("A free lawyer")
        PREPARE = "prepare", _("Prepare my family")
        GENERAL = "general", _("Always")
        NOTARIO = "notario", _("Notario fraud")
        CARD = "card", _("Wallet card: for the visitor")
        CARD_AGENT = "card_agent", _("Wallet card: for an agent, always in English")

    SITUATIONS = (Topic.DOOR, Topic.WORK, Topic.STREET, Topic.DETAINED, Topic.LAWYER,
                  Topic.PREPARE)
    # Printed on the wallet cards, not on the one-page sheets.
    WALLET_CARDS = (Topic.CARD, Topic.CARD_AGENT)

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, unique=True,
                             help_text=_("Which situation the steps answer. The page adds the "
                                         "right phone numbers and places itself."))
    title = models.CharField(_("title"), max_length=120)
    steps = models.TextField(
        _("steps"),
        help_text=_("One short step per line, three to five, at a 5th-grade reading level."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "topic"]
        verbose_name = _("know-your-rights section")
        verbose_name_plural = _("know-your-rights sections")

    def __str__(self):
        return self.title

    @property
    def step_list(self):
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def is_situation(self):
        return self.topic in self.SITUATIONS


class RightsReview(models.Model):
    """A lawyer's review of the know-your-rights text; the newest one is shown."""

    reviewed_by = models.ForeignKey("directory.Organization", models.PROTECT,
                                    related_name="rights_reviews",
                                    verbose_name=_("reviewed by"))
    reviewed_on = models.DateField(_("reviewed on"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on"]
        get_latest_by = "reviewed_on"
        verbose_name = _("know-your-rights review")
        verbose_name_plural = _("know-your-rights reviews")

    def __str__(self):
        return f"{self.reviewed_by} · {self.reviewed_on}"

    @property
    def is_old(self):
        age = timezone.localdate() - self.reviewed_on
        return age > datetime.timedelta(days=REVIEW_FRESH_DAYS)
