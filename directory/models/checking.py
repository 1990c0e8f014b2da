"""Keeping the directory true: how often each kind is checked, who may edit what,
and the changes that wait for a second person."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Lines and their menus move often; a wrong digit sends a caller to the wrong queue.
DEFAULT_INTERVAL_DAYS = {"hotline": 30, "hotlinemenuoption": 30}
OTHER_KINDS_DAYS = 180


class CheckingInterval(models.Model):
    """How many days a kind of record stays trusted after someone checked it."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organizations")
        SERVICE = "service", _("Services")
        HOTLINE = "hotline", _("Hotlines")
        MENU_OPTION = "hotlinemenuoption", _("Hotline menu options")
        LEGAL_FUND = "legalfund", _("Legal funds")
        FACILITY = "detentionfacility", _("Detention facilities")
        POLICY = "policy", _("Local policies")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, unique=True)
    days = models.PositiveSmallIntegerField(
        _("days"), help_text=_("After this many days the record says “not checked since”."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("checking interval")
        verbose_name_plural = _("checking intervals")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days}"


class StaffMembership(models.Model):
    """A staff user of a partner organization, who edits that organization's records only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE,
                                related_name="membership", verbose_name=_("user"))
    organization = models.ForeignKey("directory.Organization", models.CASCADE,
                                     related_name="staff_memberships",
                                     verbose_name=_("organization"))

    class Meta:
        verbose_name = _("partner staff membership")
        verbose_name_plural = _("partner staff memberships")

    def __str__(self):
        return f"{self.user} · {self.organization}"


class PendingChangeQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=PendingChange.Status.WAITING)

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj),
                           object_id=str(obj.pk))


class PendingChange(models.Model):
    """A change to a number, an address or a donation link, held until a second person
    approves it; the public page keeps the old value meanwhile."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    content_type = models.ForeignKey(ContentType, models.CASCADE, verbose_name=_("kind"))
    object_id = models.CharField(_("record"), max_length=40)
    changes = models.JSONField(_("changes"), help_text=_("Each field's old and new value."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.WAITING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change waiting for approval")
        verbose_name_plural = _("changes waiting for approval")
        permissions = [("approve_pendingchange",
                        _("Can approve changes to numbers, addresses and donation links"))]

    def __str__(self):
        return _("%(kind)s: %(fields)s") % {"kind": self.content_type.name,
                                           "fields": ", ".join(self.changes)}

    @property
    def target(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)
