from django.db.models import Prefetch, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
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
    Service,
    Source,
)

# What every record's page shows beside its own fields.
RECORD_PREFETCH = ("areas_served", "languages", "categories", "sources")
HOME_LIST_SIZE = 6
SEARCH_MAX_LENGTH = 200
# Region, category and search pages show at most this many records of each kind.
SECTION_SIZE = 50


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
    context = {
        "region": region,
        "children": region.children.all(),
        **records_by_kind(Q(areas_served__in=region.with_descendants())),
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
    from django.conf import settings

    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_URL}",
             f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


def healthz(request):
    Region.objects.exists()
    return HttpResponse("ok", content_type="text/plain")
