"""Stub: replaced by the notices pages."""

from django.http import Http404
from django.views import View


class _Stub(View):
    def get(self, request, *args, **kwargs):
        raise Http404


NoticeListView = NoticeArchiveView = NoticeMonthArchiveView = NoticeDetailView = _Stub
