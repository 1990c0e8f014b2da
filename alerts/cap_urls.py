from django.urls import path

from . import feeds

app_name = "cap"

# CAP carries every language in one message, so its addresses have no language prefix.
urlpatterns = [
    path("index.atom", feeds.cap_index, name="index"),
    path("<uuid:pk>.xml", feeds.cap_message, name="message"),
]
