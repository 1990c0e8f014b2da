"""Where detained people are held."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import PhoneFields, Record


class DetentionFacility(PhoneFields, Record):
    """A detention facility, under the official name families must give to find someone."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Privately run under contract")
        GOVERNMENT = "government", _("Run by the government")
        JAIL = "jail", _("Local jail holding people for immigration")

    official_name = models.CharField(
        _("official name"), max_length=200,
        help_text=_("The name in the authority's records, e.g. "
                    "“Denver Contract Detention Facility”."))
    other_names = models.TextField(
        _("other names"), blank=True,
        help_text=_("One per line, e.g. “Aurora ICE Processing Center”."))
    operator = models.ForeignKey("directory.Organization", models.PROTECT,
                                 related_name="operated_facilities", verbose_name=_("operator"))
    authority = models.ForeignKey("directory.Organization", models.PROTECT,
                                  related_name="facilities_held_for",
                                  verbose_name=_("holding authority"),
                                  help_text=_("Whose detainees it holds, e.g. ICE."))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, blank=True)
    location = models.ForeignKey("directory.Location", models.SET_NULL, null=True, blank=True,
                                 related_name="facilities", verbose_name=_("location"))
    visiting_rules = models.TextField(_("visiting rules"), blank=True)
    locator_url = models.URLField(_("detainee locator"), max_length=500, blank=True)
    how_to_find_someone = models.TextField(_("how to find a detained person"), blank=True)
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name = _("detention facility")
        verbose_name_plural = _("detention facilities")

    def get_absolute_url(self):
        return reverse("directory:detentionfacility-detail", kwargs={"slug": self.slug})

    @property
    def other_names_list(self):
        return [name.strip() for name in self.other_names.splitlines() if name.strip()]
