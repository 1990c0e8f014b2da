"""Marking records as checked: the write behind the admin's “mark checked today”."""

from django.db import transaction
from django.utils import timezone


def mark_checked(records, *, organization, checked_on=None):
    """Stamp each record as checked by `organization` on `checked_on` (today by default).

    Each record is saved on its own so that its history gets a version and the
    upkeep receivers (caches) see the write.
    """
    checked_on = checked_on or timezone.localdate()
    with transaction.atomic():
        count = 0
        for record in records:
            record.last_verified_on = checked_on
            record.verified_by = organization
            record.save(update_fields=["last_verified_on", "verified_by", "updated_at"])
            count += 1
    return count
