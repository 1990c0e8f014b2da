"""Stub: replaced by the notices feeds."""

from django.http import Http404


def _stub(request, *args, **kwargs):
    raise Http404


NoticeAtomFeed = NoticeRssFeed = lambda: _stub  # noqa: E731
notice_calendar = cap_index = cap_message = _stub
