"""What local agencies have said they will and will not do."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Record


class Policy(Record):
    """A dated statement by an office: a promise it made, never a law.

    The record's name says who and what; `last_verified_on` is when staff last
    checked the statement still stands.
    """

    organization = models.ForeignKey("directory.Organization", models.PROTECT,
                                     related_name="policies", verbose_name=_("who said it"))
    stated_on = models.DateField(_("stated on"))
    spoken_by = models.CharField(
        _("said by"), max_length=200, blank=True,
        help_text=_("The office that spoke, e.g. “Chief of Police Nick Metz”."))
    quote = models.TextField(_("quote"), blank=True,
                             help_text=_("Word for word, in the language it was said."))
    quote_language = models.CharField(
        _("language of the quote"), max_length=16, default="en",
        help_text=_("The language the words were said in; other languages show a translation "
                    "labelled as such."))
    is_in_force = models.BooleanField(
        _("still in force"), null=True, blank=True,
        help_text=_("As far as staff know. Leave unknown when nobody has checked."))
    history = HistoricalRecords()

    class Meta(Record.Meta):
        ordering = ["-stated_on", "name"]
        # Newest first: the home page's latest policies walk this index.
        indexes = [*Record.Meta.indexes,
                   models.Index(fields=["is_published", "-stated_on", "name"],
                                name="policy_latest")]
        verbose_name = _("local policy")
        verbose_name_plural = _("local policies")

    def get_absolute_url(self):
        return reverse("directory:policy-detail", kwargs={"slug": self.slug})
