"""The HSDS lists: their filters (all AND-combined) and pages, in a fixed number of queries."""

import math
from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Q, Value

from alerts.models import Notice
from directory.models import Category, Hotline, HotlineMenuOption, LegalFund, Service

from . import hsds

# The three kinds of record that are HSDS services, by the name the union query gives them.
SERVICE_KINDS = {"service": Service, "hotline": Hotline, "legal_fund": LegalFund}
FACT_TERM_CODES = {hsds.fact_term_id(code): code for code in hsds.FACT_CODES}


@dataclass(frozen=True)
class Filters:
    """What a list request asked for, already checked by the view."""

    search: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: object = None
    postcode: str = ""


@dataclass(frozen=True)
class PageRequest:
    number: int = 1
    per_page: int = 50

    @property
    def offset(self):
        return (self.number - 1) * self.per_page


def envelope(contents, *, total, page):
    """The page object the HSDS API wraps every list in."""
    total_pages = max(1, math.ceil(total / page.per_page))
    return {"total_items": total, "total_pages": total_pages, "page_number": page.number,
            "size": len(contents), "first_page": page.number == 1,
            "last_page": page.number >= total_pages, "empty": not contents,
            "contents": contents}


def _text_search(search, *fields):
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": search})
    return query


def _fact_filter(model, code):
    """Which records of `model` carry the fact attribute `code`; None when none can."""
    if code in ("record-type",):
        return Q()
    if code == "assured-by":
        return Q(verified_by__is_published=True)
    if model is Hotline and code == "hotline-purpose":
        return Q()
    if model is Hotline and code == "phone-menu-option":
        return Q(Exists(HotlineMenuOption.objects.filter(hotline=OuterRef("pk"),
                                                         is_published=True))) & (
            ~Q(phone="") | ~Q(short_code=""))
    if model is Service and code == "legal-help-by":
        return ~Q(legal_help_by="")
    if model is LegalFund and code == "legal-fund-kind":
        return Q()
    if model is LegalFund and code == "donation-link":
        return ~Q(donate_url="")
    return None


def filter_records(queryset, filters, *, category=None):
    """Apply the service filters to one kind of service-like record."""
    model = queryset.model
    if filters.search:
        queryset = queryset.filter(_text_search(filters.search, "name_en", "summary_en",
                                                "description_en"))
    if filters.organization_id:
        queryset = queryset.filter(organization_id=filters.organization_id)
    if filters.modified_after is not None:
        queryset = queryset.filter(updated_at__gte=filters.modified_after)
    if filters.taxonomy_term_id:
        if filters.taxonomy_term_id in FACT_TERM_CODES:
            condition = _fact_filter(model, FACT_TERM_CODES[filters.taxonomy_term_id])
            queryset = queryset.none() if condition is None else queryset.filter(condition)
        elif category is None:
            queryset = queryset.none()
        else:
            queryset = queryset.filter(categories=category)
    if filters.taxonomy_id == hsds.CATEGORY_TAXONOMY_ID:
        queryset = queryset.filter(Exists(
            model.categories.through.objects.filter(**{
                f"{model._meta.model_name}_id": OuterRef("pk")})))
    elif filters.taxonomy_id and filters.taxonomy_id != hsds.FACT_TAXONOMY_ID:
        queryset = queryset.none()
    if filters.postcode:
        # Only services have a place; hotlines and legal funds have no postcode to match.
        if any(field.name == "location" for field in model._meta.get_fields()):
            queryset = queryset.filter(location__postal_code=filters.postcode,
                                       location__is_confidential=False)
        else:
            queryset = queryset.none()
    return queryset


def _category(filters):
    """The category a taxonomy_term_id names, looked up only when one is asked for."""
    term_id = filters.taxonomy_term_id
    if not term_id or term_id in FACT_TERM_CODES:
        return None
    return hsds.categories_by_term_id().get(term_id)


def service_page(filters, page, *, full=False, minimal=False):
    """One page of services, hotlines and legal funds together, ordered by English name."""
    category = _category(filters)
    parts = [
        filter_records(hsds.public(model), filters, category=category)
        .annotate(hsds_kind=Value(kind, output_field=CharField()))
        .values_list("id", "name_en", "hsds_kind").order_by()
        for kind, model in SERVICE_KINDS.items()
    ]
    combined = parts[0].union(*parts[1:], all=True)
    total = combined.count()
    rows = list(combined.order_by("name_en", "id")[page.offset:page.offset + page.per_page])
    records = {}
    for kind, model in SERVICE_KINDS.items():
        ids = [pk for pk, _name, row_kind in rows if row_kind == kind]
        if not ids:
            continue
        queryset = hsds.public(model).filter(pk__in=ids)
        queryset = (hsds.with_service_relations if full else hsds.with_summary_relations)(
            queryset)
        records.update((record.pk, record) for record in queryset)
    if minimal:
        contents = [{"id": str(pk), "name": records[pk].name_en, "status": "active",
                     "last_modified": hsds.timestamp(records[pk].updated_at)}
                    for pk, _name, _kind in rows]
    else:
        mapper = hsds.service if full else hsds.service_summary
        contents = [mapper(records[pk]) for pk, _name, _kind in rows]
    return envelope(contents, total=total, page=page)


def find_service(pk):
    """The published service, hotline or legal fund with this id, ready to map; or None."""
    for model in SERVICE_KINDS.values():
        record = hsds.with_service_relations(hsds.public(model).filter(pk=pk)).first()
        if record is not None:
            return record
    return None


def services_by_organization(org_ids, *, full):
    """The public service-like records of these organizations, by English name, mapped."""
    records = []
    for model in SERVICE_KINDS.values():
        queryset = hsds.public(model).filter(organization__in=org_ids)
        queryset = (hsds.with_service_relations if full else hsds.with_summary_relations)(
            queryset)
        records.extend(queryset)
    records.sort(key=lambda record: (record.name_en, str(record.pk)))
    found = {pk: [] for pk in org_ids}
    for record in records:
        found[record.organization_id].append(
            hsds.service(record) if full else hsds.service_summary(record))
    return found


def organization_page(filters, page, *, full=False, full_service=False):
    queryset = hsds.public_organizations()
    if filters.search:
        queryset = queryset.filter(_text_search(filters.search, "name_en", "summary_en",
                                                "description_en"))
    total = queryset.count()
    queryset = queryset.order_by("name_en", "id")[page.offset:page.offset + page.per_page]
    if full:
        orgs = list(hsds.with_organization_relations(queryset))
        services = services_by_organization([org.pk for org in orgs], full=full_service)
        return envelope([organization_detail(org, services=services[org.pk]) for org in orgs],
                        total=total, page=page)
    return envelope([hsds.organization(org) for org in queryset.select_related("parent")],
                    total=total, page=page)


def organization_detail(org, *, services):
    return hsds.organization(org, full=True, services=services,
                             locations=hsds.organization_locations(org))


def find_organization(pk):
    return hsds.with_organization_relations(
        hsds.public_organizations().filter(pk=pk)).first()


def _services_at_public_locations(filters):
    category = _category(filters)
    queryset = filter_records(hsds.public(Service), filters, category=category)
    return queryset.filter(location__is_confidential=False)


def service_at_location_page(filters, page, *, full=False):
    queryset = _services_at_public_locations(filters)
    total = queryset.count()
    queryset = queryset.order_by("name_en", "id")[page.offset:page.offset + page.per_page]
    queryset = (hsds.with_service_relations if full else hsds.with_summary_relations)(
        queryset.select_related("location"))
    return envelope([hsds.service_at_location(record, full=full) for record in queryset],
                    total=total, page=page)


def find_service_at_location(hsds_id):
    """Service-at-location ids are derived, so the pairs are listed to find one."""
    pairs = _services_at_public_locations(Filters()).values_list("pk", "location_id")
    for service_pk, location_pk in pairs:
        if hsds.derived_id("service_at_location", service_pk,
                           hsds.derived_id("location", location_pk)) == hsds_id:
            record = hsds.with_service_relations(
                hsds.public(Service).filter(pk=service_pk)).get()
            return hsds.service_at_location(record)
    return None


def taxonomy_page(filters, page):
    found = [item for item in hsds.taxonomies()
             if not filters.search or filters.search.lower() in item["name"].lower()]
    return envelope(found[page.offset:page.offset + page.per_page], total=len(found),
                    page=page)


def all_terms():
    categories = [hsds.category_term(category) for category in Category.objects.all()]
    return categories + hsds.fact_terms()


def taxonomy_term_page(filters, page, *, parent_id=""):
    search = filters.search.lower()
    found = [term for term in all_terms()
             if (not search or search in term["name"].lower()
                 or search in term["description"].lower())
             and (not filters.taxonomy_id or term["taxonomy_id"] == filters.taxonomy_id)
             # Amparo's terms are flat: none has a parent.
             and not parent_id]
    return envelope(found[page.offset:page.offset + page.per_page], total=len(found),
                    page=page)


def public_notices():
    return Notice.objects.public().for_feeds().with_card_facts().order_by("-publish_at", "pk")


def notice_page(page):
    queryset = public_notices()
    total = queryset.count()
    return envelope([hsds_notice(notice) for notice in
                     queryset[page.offset:page.offset + page.per_page]],
                    total=total, page=page)


def hsds_notice(notice):
    """A public notice as JSON beside HSDS: what the feeds carry, with ids HSDS knows."""
    related = (
        [{"type": "organization", "id": str(item.pk)} for item in notice.organizations.all()]
        + [{"type": "service", "id": str(item.pk)} for manager in
           (notice.services, notice.hotlines, notice.legal_funds) for item in manager.all()]
        + [{"type": "location", "id": str(item.pk)}
           for item in notice.detention_facilities.all()])
    return {
        "id": str(notice.pk), "url": hsds.english_url(notice),
        "title": notice.title_en, "summary": notice.summary_en, "body": notice.body_en,
        "severity": notice.severity, "certainty": notice.certainty,
        "published_at": hsds.timestamp(notice.publish_at),
        "expires_at": hsds.timestamp(notice.expires_at),
        "updated_at": hsds.timestamp(notice.updated_for_visitors_at or notice.updated_at),
        "event_starts_at": hsds.timestamp(notice.event_starts_at)
        if notice.event_starts_at else None,
        "event_ends_at": hsds.timestamp(notice.event_ends_at) if notice.event_ends_at else None,
        "place": None if notice.place_is_confidential else (notice.place_en or None),
        "call_for_location": notice.place_is_confidential,
        "regions": [region.name_en for region in notice.regions.all()],
        "confirmed_by": {"id": str(notice.confirmed_by.pk), "name": notice.confirmed_by.name_en}
        if notice.confirmed_by and notice.confirmed_by.is_published else None,
        "confirmed_at": hsds.timestamp(notice.confirmed_at) if notice.confirmed_at else None,
        "corrects": str(notice.corrects_id) if notice.corrects_id else None,
        "related": related,
    }
