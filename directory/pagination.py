"""Long lists that count only a few pages past the one a visitor is on.

"Page 1 of 959" would count every published service on every view of the list, a cost
that grows with the directory. Counting at most PAGES_AHEAD pages further costs the same
at 100 records as at 100,000, and "page 1 of more than 11" is still true. Every page stays
reachable: each one counts far enough to offer the next.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

PAGES_AHEAD = 10
# Past this, a page number is nonsense (and too large for SQLite's LIMIT): count them all,
# and the page is a 404 as ever.
COUNTABLE_PAGE_MAX = 10**9


class LookaheadPaginator(Paginator):
    def __init__(self, object_list, per_page, *, current_page=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # None (page=last, or no number at all): count everything.
        self.counts_up_to = None
        if current_page is not None and current_page <= COUNTABLE_PAGE_MAX and \
                isinstance(object_list, QuerySet):
            self.counts_up_to = (max(current_page, 1) + PAGES_AHEAD) * self.per_page

    @cached_property
    def _found(self):
        """How many there are, up to one more than counted: one statement."""
        # Neither order nor annotations change how many there are; they would cost here.
        return self.object_list.order_by().values("pk")[: self.counts_up_to + 1].count()

    @cached_property
    def count(self):
        if self.counts_up_to is None:
            return super().count
        return min(self._found, self.counts_up_to)

    @property
    def has_uncounted_pages(self):
        """More pages follow than `num_pages` says: the count stopped short."""
        return self.counts_up_to is not None and self._found > self.counts_up_to


class LookaheadPaginationMixin:
    """For a ListView whose list grows with the directory."""

    paginator_class = LookaheadPaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True,
                      **kwargs):
        asked = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        try:
            current_page = int(asked)
        except (TypeError, ValueError):
            current_page = None  # "last" needs the whole count; anything else is a 404
        return super().get_paginator(queryset, per_page, orphans=orphans,
                                     allow_empty_first_page=allow_empty_first_page,
                                     current_page=current_page, **kwargs)
