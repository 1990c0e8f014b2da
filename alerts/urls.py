from django.urls import path

from . import feeds, views

app_name = "alerts"

urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path("notices/archive/", views.NoticeArchiveView.as_view(), name="notice-archive"),
    path("notices/archive/<int:year>/<int:month>/", views.NoticeMonthArchiveView.as_view(),
         name="notice-archive-month"),
    path("notices/feed.atom", feeds.NoticeAtomFeed(), name="notice-feed-atom"),
    path("notices/feed.rss", feeds.NoticeRssFeed(), name="notice-feed-rss"),
    path("notices/events.ics", feeds.notice_calendar, name="notice-calendar"),
    path("notices/<uuid:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
]
