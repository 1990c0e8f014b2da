from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from alerts.sitemaps import sitemaps as notice_sitemaps
from directory import views as directory_views
from directory.sitemaps import sitemaps as directory_sitemaps

sitemaps = {**directory_sitemaps, **notice_sitemaps}

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps},
         name="django.contrib.sitemaps.views.sitemap"),
    path("robots.txt", directory_views.robots_txt, name="robots-txt"),
    path("healthz", directory_views.healthz, name="healthz"),
    path("cap/", include("alerts.cap_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=True,
)
