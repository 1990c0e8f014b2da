"""Money for lawyers and bonds."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Record


class LegalFund(Record):
    """A fund that pays for legal defense or for bonds."""

    class Kind(models.TextChoices):
        LEGAL_DEFENSE = "legal_defense", _("Legal defense")
        BOND = "bond", _("Bond")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey("directory.Organization", models.PROTECT,
                                     related_name="legal_funds",
                                     verbose_name=_("administering organization"))
    pays_for = models.TextField(_("what it pays for"), blank=True)
    eligibility = models.TextField(_("who can get help"), blank=True)
    how_to_get_it = models.TextField(_("how to ask for help"), blank=True)
    donate_url = models.URLField(_("donation link"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name = _("legal fund")
        verbose_name_plural = _("legal funds")

    def get_absolute_url(self):
        return reverse("directory:legalfund-detail", kwargs={"slug": self.slug})
