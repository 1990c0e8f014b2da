"""How fresh each record is: checking intervals, the overdue list, "mark checked today"."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .upkeep import content_version


def interval_days():
    """{model name: days} from the staff's settings, cached until the next write."""
    from .models.checking import DEFAULT_INTERVAL_DAYS, OTHER_KINDS_DAYS, CheckingInterval

    def load():
        days = {kind: DEFAULT_INTERVAL_DAYS.get(kind, OTHER_KINDS_DAYS)
                for kind in CheckingInterval.Kind.values}
        days.update(CheckingInterval.objects.values_list("kind", "days"))
        return days

    return cache.get_or_set(f"checking-intervals:{content_version()}", load, timeout=3600)


def checked_since(model_name):
    """The oldest check date still within the interval for this kind of record."""
    return timezone.localdate() - datetime.timedelta(days=interval_days()[model_name])


def is_overdue(checked_on, model_name):
    return checked_on is None or checked_on < checked_since(model_name)


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


def overdue_records(*, region=None):
    """[(kind label, records oldest first)] of everything past its checking interval."""
    from django.db.models import F

    from .models import (
        DetentionFacility,
        Hotline,
        HotlineMenuOption,
        LegalFund,
        Organization,
        Policy,
        Service,
    )

    region_ids = region.with_descendants() if region else None
    groups = []
    for model in (Hotline, Organization, Service, LegalFund, DetentionFacility, Policy):
        records = model.objects.published().overdue().prefetch_related("areas_served")
        if region_ids is not None:
            records = records.filter(areas_served__in=region_ids).distinct()
        records = records.order_by(F("last_verified_on").asc(nulls_first=True), "name")
        groups.append((model, list(records)))
    options = HotlineMenuOption.objects.filter(hotline__is_published=True).filter(
        last_checked_on__isnull=True) | HotlineMenuOption.objects.filter(
        hotline__is_published=True, last_checked_on__lt=checked_since("hotlinemenuoption"))
    options = options.select_related("hotline").prefetch_related("hotline__areas_served")
    if region_ids is not None:
        options = options.filter(hotline__areas_served__in=region_ids).distinct()
    groups.append((HotlineMenuOption, list(options.order_by(
        F("last_checked_on").asc(nulls_first=True)))))
    return [(model, records) for model, records in groups if records]


def mark_items_checked(items, *, organization):
    """Stamp records of any kind, and menu options, as checked today."""
    from .models import HotlineMenuOption

    today = timezone.localdate()
    with transaction.atomic():
        options = [item for item in items if isinstance(item, HotlineMenuOption)]
        for option in options:
            option.last_checked_on = today
            option.save(update_fields=["last_checked_on"])
        return len(options) + mark_checked(
            [item for item in items if not isinstance(item, HotlineMenuOption)],
            organization=organization, checked_on=today)
