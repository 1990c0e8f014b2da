from django import template

from ..checking import overdue_records
from ..models import PendingChange

register = template.Library()


@register.inclusion_tag("admin/directory/checking_summary.html")
def checking_summary():
    """The admin front page's count of overdue records and changes awaiting approval."""
    return {
        "overdue_count": sum(len(records) for _model, records in overdue_records()),
        "waiting_count": PendingChange.objects.waiting().count(),
    }
