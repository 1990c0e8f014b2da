import datetime
import time

import segno
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from . import hours
from . import search as site_search
from .forms import SEARCH_MAX_LENGTH, SearchForm
from .models import (
    Category,
    DetentionFacility,
    Hotline,
    Language,
    LegalFund,
    Organization,
    Policy,
    Region,
    RightsReview,
    RightsSection,
    Service,
    Source,
)
from .pagination import LookaheadPaginationMixin

# What every record's page shows beside its own fields.
RECORD_PREFETCH = ("areas_served", "languages", "categories", "sources")
HOME_LIST_SIZE = 6
# Region and category pages show at most this many records of each kind.
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


class RecordListView(LookaheadPaginationMixin, RecordMixin, ListView):
    template_name = "directory/record_list.html"
    # The page is a list of record cards, which need only a few fields.
    shows_cards = True

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.shows_cards:
            queryset = queryset.for_cards()
        # Each card says "open now" from the hours the search index already holds.
        return site_search.with_schedules(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            verbose_name_plural=self.model._meta.verbose_name_plural, **kwargs)
        for record in context["object_list"]:
            record.open_state = hours.state_from_schedule(getattr(record, "schedule", None))
        return context


class RecordDetailView(RecordMixin, DetailView):
    select = ("verified_by",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related(*RECORD_PREFETCH)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if isinstance(self.object, Hotline | Service):  # hours prefetched by the subclass
            context["open_state"] = hours.open_state(self.object.hours.all())
        return context


def home(request):
    context = {
        "hotlines": published_hotlines().filter(is_featured=True),
        "legal_funds": LegalFund.objects.published().for_cards()[:HOME_LIST_SIZE],
        "legal_services": Service.objects.published().legal_help().for_cards()[
            :HOME_LIST_SIZE],
        "facilities": DetentionFacility.objects.published().for_cards()[:HOME_LIST_SIZE],
        "policies": Policy.objects.published()[:HOME_LIST_SIZE],
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for location in self.object.locations.all():
            location.open_state = hours.open_state(location.hours.all())
        return context


class HotlineListView(RecordListView):
    model = Hotline
    shows_cards = False
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


class ServiceDetailView(RecordDetailView):
    model = Service
    select = RecordDetailView.select + ("organization", "location")
    prefetch = ("hours", "location__hours")


class LegalFundListView(RecordListView):
    model = LegalFund


class LegalFundDetailView(RecordDetailView):
    model = LegalFund
    select = RecordDetailView.select + ("organization",)


class DetentionFacilityListView(RecordListView):
    model = DetentionFacility


class DetentionFacilityDetailView(RecordDetailView):
    model = DetentionFacility
    select = RecordDetailView.select + ("operator", "authority", "location")
    prefetch = ("location__hours",)


class PolicyListView(RecordListView):
    model = Policy
    shows_cards = False


class PolicyDetailView(RecordDetailView):
    model = Policy
    select = RecordDetailView.select + ("organization",)


def records_by_kind(field, values):
    """Each kind's published records linked through `field` to any of `values`.

    For region and category pages. An EXISTS per record instead of a join, so no
    DISTINCT and each section stops after its first SECTION_SIZE names.
    """
    hotlines = list(published_hotlines().linked_to(field, values)[:SECTION_SIZE])
    sections = [
        (_("Services"), Service.objects.published()),
        (_("Legal funds"), LegalFund.objects.published()),
        (_("Detention facilities"), DetentionFacility.objects.published()),
        (_("Local policies"), Policy.objects.published()),
        (_("Organizations"), Organization.objects.published()),
    ]
    sections = [(heading, list(queryset.for_cards().linked_to(field, values)[:SECTION_SIZE]))
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
        **records_by_kind("areas_served", region_ids),
    }
    return render(request, "directory/region_detail.html", context)


class CategoryListView(ListView):
    model = Category


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    context = {"category": category, **records_by_kind("categories", [category.pk])}
    return render(request, "directory/category_detail.html", context)


class AboutView(LookaheadPaginationMixin, ListView):
    """About Amparo, then its sources a page at a time: a national directory cites thousands."""

    template_name = "directory/about.html"
    queryset = Source.objects.all()
    paginate_by = 50


@require_GET
def search(request):
    """Search with filters that combine, each with its count; plain GET, no JavaScript.

    The answer's `Server-Timing` header says how long the search took (`search`: the
    matches, the ranked page, the filter counts and their names) and the whole view
    (`total`, rendering included), in milliseconds.
    """
    started = time.perf_counter()
    if len(request.GET.get("q", "").strip()) > SEARCH_MAX_LENGTH:
        return HttpResponseBadRequest(
            _("Your search is too long. Use at most %(count)d characters.")
            % {"count": SEARCH_MAX_LENGTH}, content_type="text/plain; charset=utf-8")
    form = SearchForm(request.GET)
    data, ignored = form.valid_data()
    if "q" in form.errors:
        return HttpResponseBadRequest(" ".join(form.errors["q"]),
                                      content_type="text/plain; charset=utf-8")
    query = data.get("q", "")
    selected = {name: found for name, (model, field) in SEARCH_VOCABULARIES.items()
                if data.get(name) and (found := model.objects.filter(
                    **{field: data[name]}).first()) is not None}
    ignored += [name for name in SEARCH_VOCABULARIES if data.get(name) and name not in selected]
    filters = site_search.Filters(
        kind=data.get("kind", ""), is_free=bool(data.get("free")),
        is_open=bool(data.get("open")),
        **{name: obj.pk for name, obj in selected.items()})
    result, filter_options, timings = None, {}, []
    if query or filters.active:
        search_started = time.perf_counter()
        result = site_search.search(query, language=translation.get_language(),
                                    filters=filters, page=data.get("page") or 1)
        filter_options = search_filter_options(result, filters, selected)
        timings.append(("search", time.perf_counter() - search_started))
    # Many visitors read Spanish on a phone set to English (or the other way round):
    # words that find nothing here may find something in the other language.
    elsewhere = []
    if query and result and not result.total:
        for code, _name in settings.LANGUAGES:
            if code != translation.get_language():
                found = site_search.search(query, language=code, filters=filters).total
                if found:
                    elsewhere.append({"code": code, "count": found,
                                      "url": translate_url(request.get_full_path(), code)})
    context = {
        "form": form,
        "query": query,
        "result": result,
        "filters": filter_options,
        "remove_links": search_remove_links(request, data, selected),
        "ignored": [request.GET.get(name, "") for name in ignored if name != "page"],
        "featured_hotlines": published_hotlines().filter(is_featured=True),
        "elsewhere": elsewhere,
    }
    response = render(request, "directory/search.html", context)
    timings.append(("total", time.perf_counter() - started))
    response["Server-Timing"] = ", ".join(
        f"{name};dur={seconds * 1000:.1f}" for name, seconds in timings)
    return response


# The search filters that name a vocabulary row, and the field their value is.
SEARCH_VOCABULARIES = {"category": (Category, "slug"), "region": (Region, "slug"),
                       "language": (Language, "code")}


def search_filter_options(result, filters, selected):
    """Each filter's choices with their counts: values with results, and the one chosen.

    When the search counted only a sample of its matches, each count is at least that
    many and says so: "37+".
    """
    def shown(count):
        return f"{count}+" if result.facets_are_capped and count else count

    options = {"kind": [(kind, label, shown(result.facets["kind"].get(kind, 0)),
                         kind == filters.kind)
                        for kind, label in site_search.KINDS.items()
                        if result.facets["kind"].get(kind) or kind == filters.kind]}
    for name, (model, field) in SEARCH_VOCABULARIES.items():
        counts = result.facets[name]
        chosen = selected.get(name)
        ids = set(counts) | ({chosen.pk} if chosen else set())
        options[name] = [
            (getattr(obj, field), obj.name, shown(counts.get(obj.pk, 0)), obj == chosen)
            for obj in model.objects.filter(pk__in=ids)] if ids else []
    options["free"] = shown(result.facets["is_free"])
    options["open"] = shown(result.facets["is_open"])
    return options


def search_remove_links(request, data, selected):
    """For each filter in use, its name and the same search without it."""
    names = {"kind": _("Kind"), "category": _("Category"), "region": _("Region"),
             "language": _("Language spoken"), "free": _("Free of charge"),
             "open": _("Open now")}
    links = []
    for name in SearchForm.FILTERS:
        if not data.get(name) or (name in SEARCH_VOCABULARIES and name not in selected):
            continue
        if name in selected:
            value = selected[name].name
        elif name == "kind":
            value = site_search.KINDS[data["kind"]]
        else:
            value = ""
        params = request.GET.copy()
        for key in (name, "page"):
            params.pop(key, None)
        links.append((names[name], value, f"?{params.urlencode()}"))
    return links


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
# Each live list on the rights pages stops here, so the printed sheet stays one page
# however large the directory grows.
RIGHTS_LIST_SIZE = 6


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
        "hotlines": published_hotlines().filter(
            is_on_rights_page=True).featured_first()[:RIGHTS_LIST_SIZE],
        "legal_services": Service.objects.published().legal_help().filter(
            cost=Service.Cost.FREE).select_related("organization")[:RIGHTS_LIST_SIZE],
        "legal_funds": LegalFund.objects.published()[:RIGHTS_LIST_SIZE],
        "facilities": DetentionFacility.objects.published()[:RIGHTS_LIST_SIZE],
        "policies": Policy.objects.published().filter(
            last_verified_on__gte=today - datetime.timedelta(days=RIGHTS_POLICY_DAYS)
        ).select_related("organization")[:RIGHTS_LIST_SIZE],
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


# When either language's steps on the bilingual sheet are longer than this (in characters),
# its sections run on, each after the last, to stay on one side at 8 pt.
BILINGUAL_RUN_ON_CHARACTERS = 4800


def rights_bilingual(request):
    context = rights_context(request)
    on_sheet = [section for topic, section in context["sections"].items()
                if topic not in RightsSection.WALLET_CARDS]
    runs_on = any(
        sum(len(getattr(section, f"steps_{code}") or "") for section in on_sheet)
        > BILINGUAL_RUN_ON_CHARACTERS for code, _name in settings.LANGUAGES)
    return render(request, "directory/rights_bilingual.html",
                  {**context, "languages": settings.LANGUAGES, "runs_on": runs_on})


def rights_cards(request):
    return render(request, "directory/rights_cards.html",
                  {**rights_context(request), "cards": range(RIGHTS_CARDS_PER_SHEET)})


def rights_worksheet(request):
    return render(request, "directory/rights_worksheet.html", rights_context(request))
