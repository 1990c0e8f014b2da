from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import (
    Category,
    DetentionFacility,
    Hotline,
    LegalFund,
    Organization,
    Policy,
    Region,
    Service,
)


class SiteSitemap(Sitemap):
    """Every language's address of a page, at the canonical address whatever the request."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    def items(self):
        return ["directory:home", "directory:hotline-list", "directory:organization-list",
                "directory:enforcement-list", "directory:service-list",
                "directory:legalfund-list", "directory:detentionfacility-list",
                "directory:policy-list", "directory:region-list", "directory:category-list",
                "directory:about"]

    def location(self, item):
        return reverse(item)


class RecordSitemap(SiteSitemap):
    model = None

    def items(self):
        return self.model.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class VocabularySitemap(SiteSitemap):
    model = None

    def items(self):
        return self.model.objects.order_by("slug")


sitemaps = {
    "pages": PageSitemap,
    **{model._meta.model_name: type(f"{model.__name__}Sitemap", (RecordSitemap,),
                                    {"model": model})
       for model in (Organization, Hotline, Service, LegalFund, DetentionFacility, Policy)},
    **{model._meta.model_name: type(f"{model.__name__}Sitemap", (VocabularySitemap,),
                                    {"model": model})
       for model in (Region, Category)},
}
