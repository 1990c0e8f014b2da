"""The two-person rule for changes that can hurt: a number, an address, a donation link.

The admin and the HSDS import save a record through `save_and_hold` (the admin's own
save splits it: `hold_sensitive_changes` before, `wait_for_approval` after); the change
waits as a `PendingChange` and the record keeps its old value until `approve` applies it.
A new hotline, menu option, legal fund or address is such a change too: a fake number
added as a new line would do the same harm as one swapped in, so the record is saved out
of public sight (HIDDEN_UNTIL_APPROVED) and shown once a second person approves.
"""

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
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


# The field that keeps a record's sensitive values from visitors, and its value meanwhile.
HIDDEN_UNTIL_APPROVED = {
    "directory.hotline": ("is_published", False),
    "directory.hotlinemenuoption": ("is_published", False),
    "directory.legalfund": ("is_published", False),
    "directory.location": ("is_confidential", True),
}


def hiding_field(model):
    """The field whose waiting value keeps this kind's records from visitors, or None."""
    return HIDDEN_UNTIL_APPROVED.get(model._meta.label_lower, (None, None))[0]


def hold_sensitive_changes(instance):
    """Put back what visitors see now wherever the form changed a sensitive field, and
    answer the held changes ({field: {"old": shown now, "new": asked for}}), or {}."""
    fields = SENSITIVE_FIELDS.get(instance._meta.label_lower)
    if not fields:
        return {}
    saved = None if instance._state.adding else type(instance)._base_manager.get(
        pk=instance.pk)
    return _hold_going_public(instance, saved, fields) or _hold_changed(instance, saved, fields)


def _hold_going_public(instance, saved, fields):
    """A record about to show its sensitive values for the first time stays hidden."""
    hider = hiding_field(type(instance))
    if hider is None:
        return {}
    hidden = HIDDEN_UNTIL_APPROVED[instance._meta.label_lower][1]
    if getattr(instance, hider) == hidden:
        return {}
    if saved is not None and getattr(saved, hider) != hidden:
        return {}  # already public: only a change of value waits
    # Visitors see none of it yet, so each value is new to them.
    changes = {name: {"old": None, "new": value} for name in fields if name != hider
               and (value := _stored(instance, name)) not in (None, "")}
    if not changes:
        return {}  # nothing that could send anyone to the wrong place
    changes[hider] = {"old": hidden, "new": getattr(instance, hider)}
    setattr(instance, hider, hidden)
    return changes


def _hold_changed(instance, saved, fields):
    if saved is None:
        return {}
    changes = {}
    for name in fields:
        old, new = _stored(saved, name), _stored(instance, name)
        if old != new:
            changes[name] = {"old": old, "new": new}
            setattr(instance, name, getattr(saved, name))
    return changes


def save_and_hold(instance, *, user):
    """Save `instance`, its sensitive changes held; answer the waiting change, or None."""
    held = hold_sensitive_changes(instance)
    instance.save()
    return wait_for_approval(instance, held, user=user)


def wait_for_approval(instance, changes, *, user):
    """Keep the held changes of a saved record until a second person decides.

    The same change asked for again (the same file imported twice, a form saved twice)
    is the one already waiting, not a second to decide on.
    """
    if not changes:
        return None
    waiting = _waiting_for(instance)
    return next((change for change in waiting if change.changes == changes), None) or \
        PendingChange.objects.create(content_type_id=_content_type_id(instance),
                                     object_id=str(instance.pk), changes=changes,
                                     requested_by=user)


def waits_to_go_public(instance):
    """Whether this hidden record is hidden only until a waiting change shows it."""
    hider = hiding_field(type(instance))
    return hider is not None and any(hider in change.changes
                                     for change in _waiting_for(instance))


def _waiting_for(instance):
    return PendingChange.objects.waiting().filter(content_type_id=_content_type_id(instance),
                                                  object_id=str(instance.pk))


def field_label(model, name):
    """What staff call a held field, in their language."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field since removed from the model
        return name


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
