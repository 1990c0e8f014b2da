from django.urls import reverse

from directory.sitemaps import SiteSitemap

from .models import Notice


class NoticePageSitemap(SiteSitemap):
    def items(self):
        return ["alerts:notice-list", "alerts:notice-archive"]

    def location(self, item):
        return reverse(item)


class NoticeSitemap(SiteSitemap):
    """Every notice a visitor may open: in effect, expired or withdrawn."""

    def items(self):
        return Notice.objects.visible().order_by("-publish_at")

    def lastmod(self, notice):
        return notice.updated_for_visitors_at or notice.publish_at


sitemaps = {"notice-pages": NoticePageSitemap, "notices": NoticeSitemap}
