"""Notice pages: what is in effect now, each notice, and the archive by month."""

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.views.generic import DetailView, ListView, MonthArchiveView

from directory.pagination import LookaheadPaginationMixin

from .models import Notice

PAGE_SIZE = 20
MONTHS_PER_PAGE = 24


class NoticeListView(LookaheadPaginationMixin, ListView):
    """The notices in effect now, urgent first."""

    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Notice.objects.public().urgent_first().with_card_facts()


class NoticeDetailView(DetailView):
    """Any notice a visitor may open; drafts and scheduled notices are 404 even by address."""

    def get_queryset(self):
        return Notice.objects.visible().with_card_facts().with_corrections()


class NoticeArchiveView(ListView):
    """The months that have expired or withdrawn notices, newest first."""

    paginate_by = MONTHS_PER_PAGE
    template_name = "alerts/notice_archive.html"

    def get_queryset(self):
        return (Notice.objects.archived().annotate(month=TruncMonth("publish_at"))
                .values("month").annotate(count=Count("pk")).order_by("-month"))


class NoticeMonthArchiveView(MonthArchiveView):
    """One month's expired and withdrawn notices; a month without any is 404."""

    date_field = "publish_at"
    month_format = "%m"
    paginate_by = PAGE_SIZE
    allow_empty = False

    def get_queryset(self):
        return Notice.objects.archived().with_card_facts().with_corrections()
