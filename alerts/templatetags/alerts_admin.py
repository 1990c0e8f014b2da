import datetime

from django import template
from django.db.models import Q
from django.utils import timezone

from ..models import Notice

register = template.Library()

EXPIRING_SOON = datetime.timedelta(hours=12)


@register.inclusion_tag("admin/alerts/notice_queue.html")
def staff_notice_queue():
    """What publishers must look at first: approvals, emergency publications, expiries."""
    now = timezone.now()
    return {
        "awaiting_approval": Notice.objects.filter(status=Notice.Status.DRAFT,
                                                   awaiting_approval_since__isnull=False),
        "needs_review": Notice.objects.filter(needs_review=True),
        "expiring_soon": Notice.objects.public(now).filter(
            Q(expires_at__lte=now + EXPIRING_SOON)).order_by("expires_at"),
    }
