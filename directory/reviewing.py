"""The two-person rule for changes that can hurt: a number, an address, a donation link.

The admin calls `hold_sensitive_changes` before saving; the change waits as a
`PendingChange` and the record keeps its old value until `approve` applies it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PendingChange

SENSITIVE_FIELDS = {
    "directory.hotline": ("phone", "phone_extension", "short_code", "sms_number"),
    "directory.hotlinemenuoption": ("digits",),
    "directory.location": ("street_address", "city", "state", "postal_code", "latitude",
                           "longitude", "is_confidential"),
    "directory.legalfund": ("donate_url",),
}
APPROVE_PERMISSION = "directory.approve_pendingchange"


def _stored(instance, field_name):
    """A field's value as JSON keeps it: phones in E.164, numbers as text."""
    value = instance._meta.get_field(field_name).value_from_object(instance)
    if value is None or value == "" or isinstance(value, bool):
        return value
    return getattr(value, "as_e164", None) or str(value)


def hold_sensitive_changes(instance, *, user):
    """Put back the old value of every sensitive field the form changed, and keep the new
    values as one pending change. Returns it, or None when nothing sensitive changed."""
    fields = SENSITIVE_FIELDS.get(instance._meta.label_lower)
    if not fields or instance._state.adding:
        return None
    saved = type(instance)._base_manager.get(pk=instance.pk)
    changes = {}
    for name in fields:
        old, new = _stored(saved, name), _stored(instance, name)
        if old != new:
            changes[name] = {"old": old, "new": new}
            setattr(instance, name, getattr(saved, name))
    if not changes:
        return None
    return PendingChange.objects.create(
        content_type_id=_content_type_id(instance), object_id=str(instance.pk),
        changes=changes, requested_by=user)


def _content_type_id(instance):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(instance).pk


def _decide(change, user, status):
    if not user.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied(_("You may not approve or reject changes."))
    if change.requested_by_id == user.pk:
        raise PermissionDenied(_("A second person must decide on a change you asked for."))
    if change.status != PendingChange.Status.WAITING:
        raise PermissionDenied(_("This change was already decided."))
    change.status, change.decided_by, change.decided_at = status, user, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])


def approve(change, *, user):
    """Apply a waiting change in the name of a second staff member."""
    with transaction.atomic():
        _decide(change, user, PendingChange.Status.APPROVED)
        record = change.target
        for name, values in change.changes.items():
            field = record._meta.get_field(name)
            setattr(record, name, field.to_python(values["new"]))
        record._change_reason = f"Approved change {change.pk}"
        record.full_clean()
        record.save()
        return record


def reject(change, *, user):
    with transaction.atomic():
        _decide(change, user, PendingChange.Status.REJECTED)
