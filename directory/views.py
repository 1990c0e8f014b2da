import datetime

import segno
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Prefetch, Q
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from .models import (
    Category,
    DetentionFacility,
    Hotline,
    LegalFund,
    Organization,
    Policy,
    Region,
    RightsReview,
    RightsSection,
    Service,
    Source,
)

# What every record's page shows beside its own fields.
RECORD_PREFETCH = ("areas_served", "languages", "categories", "sources")
HOME_LIST_SIZE = 6
SEARCH_MAX_LENGTH = 200
# Region, category and search pages show at most this many records of each kind.
SECTION_SIZE = 50
RIGHTS_CARDS_PER_SHEET = 10


def published_hotlines():
    return Hotline.objects.published().select_related("organization").prefetch_related(
        "menu_options")


class RecordMixin:
    """Published records only, with what their pages show fetched up front."""

    paginate_by = 50
    select = ()
    prefetch = ()

    def get_queryset(self):
        queryset = self.model.objects.published().prefetch_related(*self.prefetch)
        return queryset.select_related(*self.select) if self.select else queryset


class RecordListView(RecordMixin, ListView):
    template_name = "directory/record_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            verbose_name_plural=self.model._meta.verbose_name_plural, **kwargs)


class RecordDetailView(RecordMixin, DetailView):
    select = ("verified_by",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related(*RECORD_PREFETCH)


def home(request):
    context = {
        "hotlines": published_hotlines().filter(is_featured=True),
        "legal_funds": LegalFund.objects.published().select_related("organization")[
            :HOME_LIST_SIZE],
        "legal_services": Service.objects.published().legal_help().select_related(
            "organization")[:HOME_LIST_SIZE],
        "facilities": DetentionFacility.objects.published()[:HOME_LIST_SIZE],
        "policies": Policy.objects.published().select_related("organization")[:HOME_LIST_SIZE],
        "categories": Category.objects.all(),
        "situations": RightsSection.objects.filter(topic__in=RightsSection.SITUATIONS),
    }
    return render(request, "directory/home.html", context)


class OrganizationListView(RecordListView):
    model = Organization
    template_name = "directory/organization_list.html"
    is_enforcement = False

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.enforcement() if self.is_enforcement else queryset.helpers()

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_enforcement=self.is_enforcement, **kwargs)


class OrganizationDetailView(RecordDetailView):
    model = Organization
    select = RecordDetailView.select + ("parent",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related(
            Prefetch("hotlines", published_hotlines()),
            Prefetch("services", Service.objects.published()),
            Prefetch("legal_funds", LegalFund.objects.published()),
            Prefetch("policies", Policy.objects.published()),
            Prefetch("operated_facilities", DetentionFacility.objects.published()),
            Prefetch("units", Organization.objects.published()),
            "locations__hours",
        )


class HotlineListView(RecordListView):
    model = Hotline
    select = ("organization",)
    prefetch = ("menu_options",)

    def get_queryset(self):
        return super().get_queryset().featured_first()


class HotlineDetailView(RecordDetailView):
    model = Hotline
    select = RecordDetailView.select + ("organization",)
    prefetch = ("menu_options__languages", "hours")


class ServiceListView(RecordListView):
    model = Service
    select = ("organization",)


class ServiceDetailView(RecordDetailView):
    model = Service
    select = RecordDetailView.select + ("organization", "location")
    prefetch = ("hours", "location__hours")


class LegalFundListView(RecordListView):
    model = LegalFund
    select = ("organization",)


class LegalFundDetailView(RecordDetailView):
    model = LegalFund
    select = RecordDetailView.select + ("organization",)


class DetentionFacilityListView(RecordListView):
    model = DetentionFacility
    select = ("operator", "authority")


class DetentionFacilityDetailView(RecordDetailView):
    model = DetentionFacility
    select = RecordDetailView.select + ("operator", "authority", "location")
    prefetch = ("location__hours",)


class PolicyListView(RecordListView):
    model = Policy
    select = ("organization",)


class PolicyDetailView(RecordDetailView):
    model = Policy
    select = RecordDetailView.select + ("organization",)


def records_by_kind(records_filter):
    """Each kind's published records that match, for region, category and search pages."""
    hotlines = list(published_hotlines().filter(records_filter).distinct()[:SECTION_SIZE])
    sections = [
        (_("Services"), Service.objects.published().select_related("organization")),
        (_("Legal funds"), LegalFund.objects.published().select_related("organization")),
        (_("Detention facilities"), DetentionFacility.objects.published()),
        (_("Local policies"), Policy.objects.published().select_related("organization")),
        (_("Organizations"), Organization.objects.published()),
    ]
    sections = [(heading, list(queryset.filter(records_filter).distinct()[:SECTION_SIZE]))
                for heading, queryset in sections]
    return {
        "hotlines": hotlines,
        "sections": sections,
        "is_empty": not hotlines and not any(records for _heading, records in sections),
    }


class RegionListView(ListView):
    model = Region
    queryset = Region.objects.select_related("parent")


def region_detail(request, slug):
    region = get_object_or_404(Region.objects.select_related("parent"), slug=slug)
    region_ids = region.with_descendants()
    context = {
        "region": region,
        "region_ids": region_ids,
        "children": region.children.all(),
        **records_by_kind(Q(areas_served__in=region_ids)),
    }
    return render(request, "directory/region_detail.html", context)


class CategoryListView(ListView):
    model = Category


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    context = {"category": category, **records_by_kind(Q(categories=category))}
    return render(request, "directory/category_detail.html", context)


class AboutView(TemplateView):
    template_name = "directory/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sources=Source.objects.all(), **kwargs)


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()
    if len(query) > SEARCH_MAX_LENGTH:
        return HttpResponseBadRequest(
            _("Your search is too long. Use at most %(count)d characters.")
            % {"count": SEARCH_MAX_LENGTH}, content_type="text/plain; charset=utf-8")
    results = {}
    if query:
        words = Q()
        for field in ("name_en", "name_es", "summary_en", "summary_es"):
            words |= Q(**{f"{field}__icontains": query})
        results = records_by_kind(words)
    context = {"query": query, "featured_hotlines": published_hotlines().filter(is_featured=True),
               **results}
    return render(request, "directory/search.html", context)


def robots_txt(request):
    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_URL}",
             f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


def healthz(request):
    """Whether this app server reaches its database and its cache, for a load balancer."""
    checks = {}
    try:
        Region.objects.exists()
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "unreachable"
    try:
        cache.set("healthz", 1, timeout=5)
        checks["cache"] = "ok" if cache.get("healthz") == 1 else "not storing"
    except Exception:  # any error of any cache backend means the cache is down
        checks["cache"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


RIGHTS_POLICY_DAYS = 180


def rights_context(request):
    """The live data every know-your-rights layout prints beside the staff's text."""
    today = timezone.localdate()
    sections = {section.topic: section for section in RightsSection.objects.all()}
    review = RightsReview.objects.select_related("reviewed_by").first()
    permanent_url = settings.SITE_URL + reverse("directory:rights")
    return {
        "situations": [sections[topic] for topic in RightsSection.SITUATIONS
                       if topic in sections],
        "sections": sections,
        "review": review,
        "changed_since_review": review is not None and any(
            timezone.localdate(section.updated_at) > review.reviewed_on
            for section in sections.values()),
        "hotlines": published_hotlines().filter(is_on_rights_page=True).featured_first(),
        "legal_services": Service.objects.published().legal_help().filter(
            cost=Service.Cost.FREE).select_related("organization"),
        "legal_funds": LegalFund.objects.published(),
        "facilities": DetentionFacility.objects.published(),
        "policies": Policy.objects.published().filter(
            last_verified_on__gte=today - datetime.timedelta(days=RIGHTS_POLICY_DAYS)
        ).select_related("organization"),
        "printed_on": today,
        "permanent_url": permanent_url,
        "notices_url": settings.SITE_URL + reverse("alerts:notice-list"),
        "qr_svg": qr_svg(permanent_url),
    }


def qr_svg(url):
    """The address as an inline SVG QR code: drawn on the server, nothing to download."""
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=True, title=url)
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR" ', 1))


def rights(request):
    return render(request, "directory/rights.html", rights_context(request))


def rights_print(request):
    return render(request, "directory/rights_print.html", rights_context(request))


def rights_bilingual(request):
    context = {**rights_context(request), "languages": settings.LANGUAGES}
    return render(request, "directory/rights_bilingual.html", context)


def rights_cards(request):
    return render(request, "directory/rights_cards.html",
                  {**rights_context(request), "cards": range(RIGHTS_CARDS_PER_SHEET)})


def rights_worksheet(request):
    return render(request, "directory/rights_worksheet.html", rights_context(request))
