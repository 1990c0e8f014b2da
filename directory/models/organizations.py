"""Organizations, their places, services and hotlines."""


import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import OpenHours, PhoneFields, Record, RecordQuerySet

# The category whose services the home page lists under “free legal help”.
LEGAL_HELP_CATEGORY = "legal-help"


def normalize_sms_number(value):
    """A text line as E.164 or as a US short code; anything else is refused."""
    try:
        parsed = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = value.strip()
    if digits.isdigit() and parsed is not None and (
        phonenumbers.shortnumberinfo.is_valid_short_number_for_region(parsed, "US")
        or 5 <= len(digits) <= 6  # SMS short codes such as 52886 are not in libphonenumber
    ):
        return digits
    raise ValidationError({"sms_number": _(
        "Enter a full number such as 720-555-0100 or a text short code such as 52886."
    )})


class OrganizationQuerySet(RecordQuerySet):
    def helpers(self):
        return self.exclude(kind__in=Organization.ENFORCEMENT_KINDS)

    def enforcement(self):
        return self.filter(kind__in=Organization.ENFORCEMENT_KINDS)


class Organization(PhoneFields, Record):
    """Anyone the directory names: helpers, public offices, and the enforcement side."""

    class Kind(models.TextChoices):
        NONPROFIT = "nonprofit", _("Nonprofit")
        LEGAL_SERVICES = "legal_services", _("Legal services")
        GOVERNMENT_AGENCY = "government_agency", _("Government agency")
        SCHOOL_DISTRICT = "school_district", _("School district")
        POLICE = "police", _("Police")
        CONSULATE = "consulate", _("Consulate")
        FAITH_COMMUNITY = "faith_community", _("Faith community")
        FUND = "fund", _("Fund")
        ENFORCEMENT_AGENCY = "enforcement_agency", _("Enforcement agency")
        DETENTION_OPERATOR = "detention_operator", _("Detention operator")

    ENFORCEMENT_KINDS = (Kind.ENFORCEMENT_AGENCY, Kind.DETENTION_OPERATOR)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey("self", models.SET_NULL, null=True, blank=True,
                               related_name="units", verbose_name=_("part of"),
                               help_text=_("E.g. ICE is part of Homeland Security."))
    email = models.EmailField(_("email"), blank=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def get_absolute_url(self):
        return reverse("directory:organization-detail", kwargs={"slug": self.slug})

    @property
    def is_enforcement(self):
        """Enforcement agencies and detention operators never get a call-now button."""
        return self.kind in self.ENFORCEMENT_KINDS


class Location(models.Model):
    """A place; a confidential one is shown to the public only as “call for the address”."""

    name = models.CharField(_("name"), max_length=200,
                            help_text=_("E.g. “Main office”."))
    organization = models.ForeignKey(Organization, models.SET_NULL, null=True, blank=True,
                                     related_name="locations", verbose_name=_("organization"))
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=50, blank=True)
    postal_code = models.CharField(
        _("ZIP code"), max_length=10, blank=True,
        validators=[RegexValidator(r"^\d{5}(-\d{4})?$", _("Enter a ZIP code such as 80011."))])
    region = models.ForeignKey("directory.Region", models.SET_NULL, null=True, blank=True,
                               verbose_name=_("region"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6,
                                   null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6,
                                    null=True, blank=True)
    access_notes = models.TextField(_("how to get in"), blank=True)
    is_confidential = models.BooleanField(
        _("confidential address"), default=False,
        help_text=_("The public sees “call for the address”; the address appears nowhere "
                    "public: pages, feeds, sitemap, exports."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return self.name

    @property
    def address_lines(self):
        """The address as lines, or none when it is confidential or unknown."""
        if self.is_confidential:
            return []
        city_line = " ".join(p for p in [
            ", ".join(p for p in [self.city, self.state] if p), self.postal_code] if p)
        return [line for line in [self.street_address, city_line] if line]

    @property
    def map_url(self):
        """A plain OpenStreetMap link: no tiles, nothing loaded until the visitor taps it."""
        if self.is_confidential:
            return ""
        if self.latitude is not None and self.longitude is not None:
            return (f"https://www.openstreetmap.org/?mlat={self.latitude}"
                    f"&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}")
        if self.street_address and self.city:
            from urllib.parse import urlencode
            query = ", ".join(self.address_lines)
            return "https://www.openstreetmap.org/search?" + urlencode({"query": query})
        return ""


class LocationHours(OpenHours):
    location = models.ForeignKey(Location, models.CASCADE, related_name="hours",
                                 verbose_name=_("location"))
    history = HistoricalRecords()

    class Meta(OpenHours.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class ServiceQuerySet(RecordQuerySet):
    def legal_help(self):
        """Services that give legal help: a lawyer, a representative, or legal information."""
        in_category = self.model.categories.through.objects.filter(
            service=models.OuterRef("pk"), category__slug=LEGAL_HELP_CATEGORY)
        # A scalar look-up per service, not EXISTS: beside an OR, PostgreSQL would first
        # hash every service in the category, whereas the home page wants the first six.
        return self.alias(legal_help_link=models.Subquery(in_category.values("pk")[:1])).filter(
            models.Q(legal_help_link__isnull=False) | ~models.Q(legal_help_by=""))


class Service(PhoneFields, Record):
    """Help someone can ask for: a clinic, legal counsel, a learning session."""

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        SLIDING_SCALE = "sliding_scale", _("Sliding scale")
        PAID = "paid", _("Paid")

    class LegalHelpBy(models.TextChoices):
        ATTORNEY = "attorney", _("An attorney")
        ACCREDITED_REPRESENTATIVE = "accredited_representative", _(
            "A DOJ-accredited representative")
        NOT_REPRESENTATION = "not_representation", _("Information only, not legal representation")

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="services",
                                     verbose_name=_("organization"))
    eligibility = models.TextField(_("who can get it"), blank=True)
    cost = models.CharField(_("cost"), max_length=20, choices=Cost.choices, blank=True,
                            help_text=_("Leave empty when not known."))
    legal_help_by = models.CharField(
        _("legal help given by"), max_length=30, choices=LegalHelpBy.choices, blank=True,
        help_text=_("For legal services: who gives the help. Leave empty when not known."))
    how_to_get_it = models.TextField(_("how to get it"), blank=True)
    location = models.ForeignKey(Location, models.SET_NULL, null=True, blank=True,
                                 related_name="services", verbose_name=_("location"))
    history = HistoricalRecords()

    objects = ServiceQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def get_absolute_url(self):
        return reverse("directory:service-detail", kwargs={"slug": self.slug})


class ServiceHours(OpenHours):
    service = models.ForeignKey(Service, models.CASCADE, related_name="hours",
                                verbose_name=_("service"))
    history = HistoricalRecords()

    class Meta(OpenHours.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class HotlineQuerySet(RecordQuerySet):
    def featured_first(self):
        return self.order_by("-is_featured", "name")


class Hotline(PhoneFields, Record):
    """A number to call, such as a rapid-response line to report enforcement activity."""

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="hotlines",
                                     verbose_name=_("organization"))
    purpose = models.CharField(_("what it is for"), max_length=200,
                               help_text=_("Said on the call button, e.g. “Report ICE activity”."))
    is_featured = models.BooleanField(
        _("first on the home page"), default=False,
        help_text=_("The line a frightened visitor should call first, e.g. the rapid-response "
                    "hotline."))
    is_on_rights_page = models.BooleanField(
        _("on the know-your-rights page"), default=False,
        help_text=_("Printed on the know-your-rights sheet and the wallet cards."))
    sms_number = models.CharField(
        _("text message number"), max_length=20, blank=True,
        help_text=_("Only when the line takes text messages: a full number or a short code."))
    history = HistoricalRecords()

    objects = HotlineQuerySet.as_manager()

    class Meta(Record.Meta):
        # Few hotlines are featured or on the rights page: these find them without a scan.
        indexes = [*Record.Meta.indexes,
                   models.Index(fields=["is_published", "name"], name="hotline_featured",
                                condition=models.Q(is_featured=True)),
                   models.Index(fields=["is_published", "name"], name="hotline_on_rights_page",
                                condition=models.Q(is_on_rights_page=True))]
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")

    def get_absolute_url(self):
        return reverse("directory:hotline-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.sms_number:
            self.sms_number = normalize_sms_number(self.sms_number)

    @property
    def sms_href(self):
        return f"sms:{self.sms_number}" if self.sms_number else ""

    @property
    def shown_menu_options(self):
        """The options visitors see: not a new one still waiting for a second person.

        Filtered here, from `menu_options.all()` (prefetched or not), so that no page can
        show a waiting option by reading the relation another way.
        """
        return [option for option in self.menu_options.all() if option.is_published]


class HotlineHours(OpenHours):
    hotline = models.ForeignKey(Hotline, models.CASCADE, related_name="hours",
                                verbose_name=_("hotline"))
    history = HistoricalRecords()

    class Meta(OpenHours.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class HotlineMenuOption(models.Model):
    """A choice in a hotline's phone menu, e.g. “press 2 to report ICE activity”."""

    hotline = models.ForeignKey(Hotline, models.CASCADE, related_name="menu_options",
                                verbose_name=_("hotline"))
    digits = models.CharField(
        _("digits to press"), max_length=20,
        validators=[RegexValidator(r"^[0-9*#]+(,[0-9*#]+)*$", _(
            "The keys to press, e.g. “2”, or “2,1” for two menus in a row."))])
    purpose = models.CharField(_("what it is for"), max_length=200)
    languages = models.ManyToManyField("directory.Language", blank=True,
                                       verbose_name=_("languages"))
    hours_note = models.CharField(
        _("hours"), max_length=200, blank=True,
        help_text=_("When this option is answered, if different from the line's hours."))
    last_checked_on = models.DateField(
        _("last checked on"), null=True, blank=True,
        help_text=_("The day someone called and heard this option. The call link dials it "
                    "only while this is within the menu options' checking interval."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(
        _("shown to visitors"), default=True,
        help_text=_("A new option stays hidden until a second person approves it."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "digits"]
        verbose_name = _("menu option")
        verbose_name_plural = _("menu options")

    def __str__(self):
        return _("Press %(digits)s: %(purpose)s") % {"digits": self.digits, "purpose": self.purpose}

    @property
    def is_fresh(self):
        """Checked recently enough for the call link to press it for the caller."""
        from ..checking import is_overdue

        return not is_overdue(self.last_checked_on, self._meta.model_name)

    @property
    def tel_href(self):
        return self.hotline.tel_href(dial_after=self.digits if self.is_fresh else "")
