"""The site's URLs plus a trivial view, served only while `make bench` runs (DJANGO_BENCH=1).

The trivial view answers a short text through the whole middleware stack, without a
template or a query: the ceiling every real page's throughput is compared with.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

TRIVIAL_BODY = b"ok\n"


def trivial(request):
    return HttpResponse(TRIVIAL_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *site_urlpatterns]
