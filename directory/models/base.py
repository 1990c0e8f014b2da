"""What every public directory record shares, and how phones are stored."""

import uuid

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class RecordQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def overdue(self):
        """Never checked, or checked longer ago than this kind's interval allows."""
        from ..checking import checked_since

        return self.filter(models.Q(last_verified_on__isnull=True) | models.Q(
            last_verified_on__lt=checked_since(self.model._meta.model_name)))

    def linked_to(self, field, values):
        """Records linked through the many-to-many `field` to any of `values`.

        A correlated EXISTS over the link table rather than a join: no duplicate rows,
        so no DISTINCT, and a LIMIT can stop early while walking the name index.
        """
        link = self.model._meta.get_field(field)
        return self.filter(models.Exists(link.remote_field.through.objects.filter(**{
            link.m2m_field_name(): models.OuterRef("pk"),
            f"{link.m2m_reverse_field_name()}__in": values,
        })))

    def for_cards(self):
        """Only what a record's card shows (includes/record_card.html): its name, summary
        and address, in every language, without the long text and phone numbers of its
        page."""
        return self.only("slug", "name", "summary")

    def in_region(self, region):
        """Records serving the region or any region inside it."""
        return self.linked_to("areas_served", region.with_descendants())


class Record(models.Model):
    """The base of every public record: identity, text, reach, citations and checking."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True,
                            help_text=_("Part of the address, never translated, "
                                        "e.g. “denver-police-department”."))
    summary = models.CharField(_("summary"), max_length=300, blank=True,
                               help_text=_("One sentence a frightened reader understands."))
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    areas_served = models.ManyToManyField("directory.Region", blank=True,
                                          verbose_name=_("areas served"))
    languages = models.ManyToManyField("directory.Language", blank=True,
                                       verbose_name=_("languages spoken"))
    categories = models.ManyToManyField("directory.Category", blank=True,
                                        verbose_name=_("categories"))
    sources = models.ManyToManyField("directory.Source", blank=True, verbose_name=_("sources"))
    last_verified_on = models.DateField(
        _("last checked on"), null=True, blank=True,
        help_text=_("The day someone confirmed this record with a trusted source."))
    verified_by = models.ForeignKey(
        "directory.Organization", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("checked by"), help_text=_("The organization that checked it."))
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]
        # Lists show published records by name: the index answers them a page at a time.
        indexes = [models.Index(fields=["is_published", "name"],
                                name="%(class)s_listed")]

    def __str__(self):
        return self.name

    @property
    def is_overdue(self):
        from ..checking import is_overdue

        return is_overdue(self.last_verified_on, self._meta.model_name)


class PhoneFields(models.Model):
    """A phone number with its extension and short code kept apart.

    The phone field stores E.164 and silently drops an extension, and it refuses
    short codes such as 211 or 988, so both live in fields of their own.
    """

    phone = PhoneNumberField(_("phone"), blank=True,
                             help_text=_("A full number, e.g. 1-844-864-8341."))
    phone_extension = models.CharField(
        _("extension"), max_length=10, blank=True,
        validators=[RegexValidator(r"^\d+$", _("An extension has digits only, e.g. 123."))])
    short_code = models.CharField(
        _("short code"), max_length=8, blank=True,
        help_text=_("A short number such as 211 or 988, when there is no full number."))

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        extension = getattr(self.phone, "extension", None) if self.phone else None
        if extension:
            if self.phone_extension and self.phone_extension != extension:
                raise ValidationError({"phone_extension": _(
                    "The phone number says extension %(typed)s but this field says "
                    "%(field)s. Keep one."
                ) % {"typed": extension, "field": self.phone_extension}})
            self.phone_extension = extension
            self.phone = phonenumbers.PhoneNumber(
                country_code=self.phone.country_code, national_number=self.phone.national_number)
        if self.short_code:
            try:
                parsed = phonenumbers.parse(self.short_code, "US")
            except phonenumbers.NumberParseException:
                parsed = None
            if parsed is None or not phonenumbers.shortnumberinfo.is_valid_short_number_for_region(
                parsed, "US"
            ):
                raise ValidationError({"short_code": _(
                    "%(code)s is not a US short number. Enter one such as 211 or 988, "
                    "or put a full number in the phone field."
                ) % {"code": self.short_code}})

    @property
    def has_phone(self):
        return bool(self.phone or self.short_code)

    def tel_href(self, *, dial_after=""):
        """The tel: link; digits after a comma are dialled once the call connects."""
        if self.phone:
            href = f"tel:{self.phone.as_e164}"
            if self.phone_extension:
                href += f";ext={self.phone_extension}"
            if dial_after:
                href += f",{dial_after}"
            return href
        if self.short_code:
            return f"tel:{self.short_code}"
        return ""

    @property
    def phone_display(self):
        if self.phone:
            text = self.phone.as_national
            if self.phone_extension:
                text += f" ext. {self.phone_extension}"
            return text
        return self.short_code


class OpenHours(models.Model):
    """One day's opening hours of a hotline, menu option, service or location.

    No row for a weekday means the hours are not known, never that it is closed;
    a closed day is a row marked closed.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(
        _("closes"), null=True, blank=True,
        help_text=_("A closing time earlier than the opening time means after midnight."))
    is_24_hours = models.BooleanField(_("open 24 hours"), default=False)
    is_closed = models.BooleanField(_("closed all day"), default=False)

    class Meta:
        abstract = True
        ordering = ["weekday", "opens"]

    def __str__(self):
        day = self.get_weekday_display()
        if self.is_closed:
            return _("%(day)s: closed") % {"day": day}
        if self.is_24_hours:
            return _("%(day)s: 24 hours") % {"day": day}
        return f"{day}: {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        if self.is_24_hours and self.is_closed:
            raise ValidationError(_("A day cannot be both closed and open 24 hours."))
        if self.is_24_hours or self.is_closed:
            if self.opens or self.closes:
                raise ValidationError(_(
                    "Leave the times empty when the day is closed or open 24 hours."))
        elif not (self.opens and self.closes):
            raise ValidationError(_(
                "Give both the opening and the closing time, or mark the day closed "
                "or open 24 hours."))
        elif self.opens == self.closes:
            raise ValidationError(_(
                "Opening and closing times are the same. For a line that never closes, "
                "tick “open 24 hours”."))
