"""Every change of a notice's state, with the rules that keep notices safe.

The admin and any command call these functions; each runs in one transaction,
checks who may do it, and leaves a CAP message for partner systems.
"""

import logging
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import CapMessage, Notice

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "alerts.publish_notice"
RELATION_FIELDS = ("regions", "organizations", "services", "hotlines", "legal_funds",
                   "detention_facilities", "sources")


class PublishingError(Exception):
    """A rule refused the change; the message says what to do instead."""


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def _require_publisher(user):
    if not can_publish(user):
        raise PublishingError(_("Only a publisher can do this. Ask a publisher on your team."))


def _locked(notice):
    return Notice.objects.select_for_update().get(pk=notice.pk)


def urgent_problems(notice):
    """Why an urgent notice may not go out yet, apart from the second publisher."""
    problems = []
    if notice.certainty != Notice.Certainty.CONFIRMED:
        problems.append(_("An urgent notice must be confirmed first."))
    if not notice.confirmed_by_id:
        problems.append(_("Say which organization confirmed it."))
    missing = notice.missing_translations()
    if missing:
        problems.append(_("An urgent notice needs every language; empty: %(fields)s.")
                        % {"fields": ", ".join(missing)})
    return problems


def _send(notice, msg_type, now):
    return CapMessage.objects.create(notice=notice, msg_type=msg_type, sent_at=now)


def _go_live(notice, *, user, now, approved_by=None, reason=""):
    notice.status = Notice.Status.PUBLISHED
    notice.publish_at = notice.publish_at or now
    notice.expires_at = notice.expires_at or notice.default_expiry(notice.publish_at)
    notice.published_by = user
    notice.approved_by = approved_by
    notice.awaiting_approval_since = None
    notice.published_alone_because = reason
    notice.needs_review = bool(reason)
    if notice.certainty == Notice.Certainty.CONFIRMED and not notice.confirmed_at:
        notice.confirmed_at = now
    notice.updated_for_visitors_at = now
    notice.full_clean()
    notice.save()
    # A correction is an update of the notice it corrects, so readers of either see it.
    # A scheduled notice's alert is sent when it goes public, not when it was scheduled.
    _send(notice, CapMessage.MessageType.UPDATE if notice.corrects_id
          else CapMessage.MessageType.ALERT, max(now, notice.publish_at))
    return notice


def publish(notice, *, user, now=None):
    """Publish a draft; an urgent one waits for a second publisher and returns unpublished."""
    now = now or timezone.now()
    with transaction.atomic():
        _require_publisher(user)
        notice = _locked(notice)
        if notice.status != Notice.Status.DRAFT:
            raise PublishingError(_("Only a draft can be published."))
        notice.full_clean()
        if notice.severity != Notice.Severity.URGENT:
            return _go_live(notice, user=user, now=now)
        problems = urgent_problems(notice)
        if problems:
            raise PublishingError(" ".join(problems))
        if notice.awaiting_approval_since and notice.requested_by_id != user.pk:
            return _go_live(notice, user=notice.requested_by, now=now, approved_by=user)
        notice.awaiting_approval_since = now
        notice.requested_by = user
        notice.save(update_fields=["awaiting_approval_since", "requested_by", "updated_at"])
        return notice


def approve(notice, *, user, now=None):
    """A second publisher approves an urgent notice another publisher asked to publish."""
    if not notice.awaiting_approval_since:
        raise PublishingError(_("Nobody has asked to publish this notice yet."))
    if notice.requested_by_id == user.pk:
        raise PublishingError(_("A second publisher must approve what you asked to publish."))
    return publish(notice, user=user, now=now)


def publish_alone(notice, *, user, reason, now=None):
    """The emergency path: one publisher publishes an urgent notice, flagged for review."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise PublishingError(_("Say why this cannot wait for a second publisher."))
    with transaction.atomic():
        _require_publisher(user)
        notice = _locked(notice)
        if notice.status != Notice.Status.DRAFT:
            raise PublishingError(_("Only a draft can be published."))
        problems = urgent_problems(notice) if notice.severity == Notice.Severity.URGENT else []
        if problems:
            raise PublishingError(" ".join(problems))
        notice._change_reason = f"Published alone: {reason}"
        logger.warning("Notice %s published without a second publisher by user %s",
                       notice.pk, user.pk)
        return _go_live(notice, user=user, now=now, reason=reason)


def mark_reviewed(notice, *, user):
    """A publisher has looked at a notice published alone in an emergency."""
    _require_publisher(user)
    if notice.requested_by_id == user.pk or notice.published_by_id == user.pk:
        raise PublishingError(_("Someone other than its publisher must review it."))
    notice.needs_review = False
    notice._change_reason = f"Reviewed by user {user.pk}"
    notice.save(update_fields=["needs_review", "updated_at"])
    return notice


def record_published_edit(notice, *, user, now=None):
    """After a publisher edits a published notice: stamp it and tell partner systems."""
    now = now or timezone.now()
    with transaction.atomic():
        _require_publisher(user)
        notice.updated_for_visitors_at = now
        notice.save(update_fields=["updated_for_visitors_at", "updated_at"])
        _send(notice, CapMessage.MessageType.UPDATE, now)
    return notice


def withdraw(notice, *, user, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        _require_publisher(user)
        notice = _locked(notice)
        if notice.status != Notice.Status.PUBLISHED:
            raise PublishingError(_("Only a published notice can be withdrawn."))
        notice.status = Notice.Status.WITHDRAWN
        notice.withdrawn_at = now
        notice.withdrawn_by = user
        notice.updated_for_visitors_at = now
        notice.save()
        _send(notice, CapMessage.MessageType.CANCEL, now)
    return notice


def withdraw_all_urgent(*, user, now=None):
    """Take every urgent notice down at once, e.g. after a stolen account published some."""
    now = now or timezone.now()
    with transaction.atomic():
        _require_publisher(user)
        urgent = Notice.objects.filter(status=Notice.Status.PUBLISHED,
                                       severity=Notice.Severity.URGENT)
        return len([withdraw(notice, user=user, now=now) for notice in urgent])


def mark_found_false(notice, *, user, now=None):
    """Publish a correction wherever the notice was shown, as prominently, and retire it."""
    now = now or timezone.now()
    with transaction.atomic():
        _require_publisher(user)
        original = _locked(notice)
        if original.status != Notice.Status.PUBLISHED:
            raise PublishingError(_("Only a published notice can be marked found false."))
        correction = Notice(severity=original.severity, certainty=Notice.Certainty.FOUND_FALSE,
                            corrects=original, publish_at=now)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                setattr(correction, f"title_{code}", _("Found false: %(title)s") % {
                    "title": getattr(original, f"title_{code}") or original.title_en})
                setattr(correction, f"summary_{code}", _(
                    "The earlier notice was checked and found false. If you see "
                    "something, call the hotline."))
        correction.expires_at = max(original.expires_at, correction.default_expiry(now))
        correction.save()
        for field in RELATION_FIELDS:
            getattr(correction, field).set(getattr(original, field).all())
        original.status = Notice.Status.WITHDRAWN
        original.withdrawn_at = now
        original.withdrawn_by = user
        original.updated_for_visitors_at = now
        original.save()
        return _go_live(correction, user=user, now=now)


# What a notice's text should not contain, checked before publishing.
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")
STREET_PATTERN = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-ZÁÉÍÓÚÑ0-9][\w.]*\s+){1,3}"
    r"(?:St|Street|Ave|Avenue|Blvd|Boulevard|Rd|Road|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|"
    r"Pkwy|Parkway|Cir|Circle|Hwy|Highway)\b\.?"
    r"|\b(?:Calle|Avenida|Av\.|Camino|Bulevar)\s+[\wÁÉÍÓÚÑáéíóúñ. ]{2,40}?\s+\d{1,6}\b")
NAME_PATTERN = re.compile(r"\b([A-ZÁÉÍÓÚÑ][a-záéíóúñü]+) +([A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)\b")
NOT_NAMES = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "United", "States", "Colorado", "Denver", "Aurora",
    "Immigration", "Customs", "Enforcement", "Homeland", "Security", "Police", "Department",
    "Public", "Schools", "Know", "Your", "Rights", "Legal", "Services", "Fund", "City",
    "County", "Estados", "Unidos", "Policía", "Escuelas", "Públicas", "Conozca", "Sus",
    "Derechos", "Fondo", "Ciudad", "Condado", "Immigrant", "Coalition", "Office", "Agency",
    "Library", "Biblioteca", "Center", "Centro", "Church", "Iglesia", "The", "El", "La", "Los",
    "Las", "Contract", "Detention", "Facility", "Processing", "Human", "Community",
}


def content_warnings(notice):
    """Warnings about private details in the text, for staff to check before publishing."""
    text = "\n".join(filter(None, (getattr(notice, f"{field}_{code}", "")
                                   for field in ("title", "summary", "body")
                                   for code, _name in settings.LANGUAGES)))
    warnings = []
    if PHONE_PATTERN.search(text):
        warnings.append(_("The text contains a phone number. Only a public hotline's number "
                          "belongs in a notice; link the hotline instead."))
    if STREET_PATTERN.search(text):
        warnings.append(_("The text contains what looks like a street address. A notice "
                          "must not send people to, or away from, a street."))
    names = [" ".join(pair) for pair in NAME_PATTERN.findall(text)
             if not NOT_NAMES.intersection(pair)]
    if names:
        warnings.append(_("The text may name a person (%(names)s). Never name a private "
                          "person.") % {"names": ", ".join(sorted(set(names))[:3])})
    return warnings
