from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from alerts.sitemaps import sitemaps as notice_sitemaps
from directory import views as directory_views
from directory.sitemaps import sitemaps as directory_sitemaps

sitemaps = {**directory_sitemaps, **notice_sitemaps}

# Password reset lives under the admin's path, the only path that receives cookies.
password_reset_urls = [
    path("password-reset/", auth_views.PasswordResetView.as_view(),
         name="admin_password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]

urlpatterns = [
    path(settings.ADMIN_URL, include(password_reset_urls)),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps},
         name="django.contrib.sitemaps.views.sitemap"),
    path("robots.txt", directory_views.robots_txt, name="robots-txt"),
    path("healthz", directory_views.healthz, name="healthz"),
    path("cap/", include("alerts.cap_urls")),
    path("api/hsds/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=True,
)
