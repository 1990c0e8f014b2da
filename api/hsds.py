"""Amparo's records as Open Referral HSDS 3.0 objects, in English.

One mapping, used by the API, the export and (read backwards) the import:

- a Service, a Hotline and a LegalFund are each an HSDS `service`; a hotline carries its
  number in `phones` with its menu options in the phone's description and as
  attributes, a legal fund carries `funding`;
- an Organization is an HSDS `organization`, whatever its kind: HSDS cannot say
  "enforcement", so the kind travels as an attribute (`organization-kind`);
- a DetentionFacility is an HSDS `location` of its operator, under its official name;
- a Location is an HSDS `location` unless it is confidential: then it, its address and
  its hours appear nowhere;
- Category rows are the terms of the taxonomy "Amparo categories"; the facts HSDS has no
  field for are attributes whose terms belong to the taxonomy "Amparo record facts".

Only published records of published organizations appear. Record UUIDs are HSDS ids;
objects without a UUID of their own get a UUID derived (uuid5) from what identifies them.
"""

import datetime
import uuid

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from directory.models import (
    Category,
    DetentionFacility,
    Hotline,
    HotlineMenuOption,
    LegalFund,
    Location,
    Organization,
    Service,
)

HSDS_VERSION = "3.0"
# Every derived id is a uuid5 in this namespace, so it is the same in every database.
NAMESPACE = uuid.UUID("15f2d850-b014-49b1-9ddf-551961403847")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# 24-hour days are written as the whole day, the way HSDS examples write them.
DAY_OPENS, DAY_CLOSES = datetime.time(0, 0), datetime.time(23, 59, 59)
COUNTRY = "US"


def derived_id(*parts):
    """A stable UUID for something that has no UUID of its own."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


CATEGORY_TAXONOMY_ID = derived_id("taxonomy", "categories")
FACT_TAXONOMY_ID = derived_id("taxonomy", "facts")


def category_term_id(slug):
    return derived_id("category", slug)


def fact_term_id(code):
    return derived_id("fact", code)


# The facts HSDS has no field for: (code, name, description). The value of the attribute
# holds the fact; the description says how.
FACTS = (
    ("record-type", "Amparo record type",
     "What the record is in Amparo: service, hotline, legal_fund or detention_facility."),
    ("organization-kind", "Organization kind",
     "nonprofit, legal_services, government_agency, school_district, police, consulate, "
     "faith_community, fund, enforcement_agency or detention_operator. Enforcement agencies "
     "and detention operators are listed so that facilities can name them, never as help."),
    ("hotline-purpose", "What the line is for", "What a caller reaches, e.g. “Report ICE "
     "activity”."),
    ("phone-menu-option", "Phone menu option",
     "A choice in the line's phone menu, written “digits: what it is for”, e.g. “2: Report "
     "ICE activity”."),
    ("legal-help-by", "Legal help given by",
     "attorney, accredited_representative (DOJ-accredited) or not_representation "
     "(information only, not legal representation)."),
    ("legal-fund-kind", "Legal fund kind", "legal_defense or bond."),
    ("donation-link", "Donation link", "Where to give to the fund."),
    ("assured-by", "Checked by", "The organization that last checked the record."),
    ("holding-authority", "Holding authority",
     "The id of the organization whose detainees the facility holds, e.g. ICE."),
    ("facility-kind", "Facility kind", "contract, government or jail."),
    ("other-name", "Other name", "Another name the facility is known by."),
    ("visiting-rules", "Visiting rules", "How to visit someone held there."),
    ("how-to-find-someone", "How to find a detained person",
     "How to learn whether someone is held there."),
    ("detainee-locator", "Detainee locator", "The authority's online detainee locator."),
)
FACT_CODES = {code for code, _name, _description in FACTS}


def absolute(path):
    return settings.SITE_URL + path


def english_url(record):
    with translation.override("en"):
        return absolute(record.get_absolute_url())


def timestamp(value):
    """A datetime as RFC 3339 in UTC with milliseconds, as HSDS asks for `last_modified`."""
    return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _text(record):
    """HSDS has one description: the record's own, or its summary when it has none."""
    return record.description_en or record.summary_en


def _compact(item):
    """Leave out what is not known rather than sending empty strings and nulls."""
    return {key: value for key, value in item.items() if value not in ("", None)}


# Taxonomies and terms.

def taxonomies():
    return [
        {"id": CATEGORY_TAXONOMY_ID, "name": "Amparo categories",
         "description": "The kinds of help Amparo lists, such as legal help or detention.",
         "uri": absolute(reverse_en("directory:category-list")), "version": "1"},
        {"id": FACT_TAXONOMY_ID, "name": "Amparo record facts",
         "description": "Facts about Amparo records that HSDS has no field for; each "
                        "attribute's value holds the fact.",
         "version": "1"},
    ]


def reverse_en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def category_term(category):
    return {
        "id": category_term_id(category.slug), "code": category.slug,
        "name": category.name_en, "description": category.description_en or "",
        "taxonomy": "Amparo categories", "taxonomy_id": CATEGORY_TAXONOMY_ID,
        "language": "en",
        "term_uri": absolute(reverse_en("directory:category-detail", slug=category.slug)),
    }


def fact_terms():
    return [{"id": fact_term_id(code), "code": code, "name": name, "description": description,
             "taxonomy": "Amparo record facts", "taxonomy_id": FACT_TAXONOMY_ID,
             "language": "en"} for code, name, description in FACTS]


FACT_TERMS = {term["code"]: term for term in fact_terms()}


def attribute(*, link_id, link_entity, term, value=""):
    return _compact({
        "id": derived_id("attribute", link_id, term["id"], value),
        "link_id": link_id, "link_type": "", "link_entity": link_entity,
        "taxonomy_term_id": term["id"], "value": value, "taxonomy_term": term,
    })


def fact(code, value, *, link_id, link_entity):
    return attribute(link_id=link_id, link_entity=link_entity, term=FACT_TERMS[code],
                     value=str(value))


def _record_attributes(record, *, link_entity, record_type=None):
    """The categories, the type and who checked it, shared by every kind of record."""
    link = {"link_id": str(record.pk), "link_entity": link_entity}
    items = [attribute(term=category_term(category), **link)
             for category in record.categories.all()]
    if record_type:
        items.append(fact("record-type", record_type, **link))
    verifier = record.verified_by
    if verifier is not None and verifier.is_published:
        items.append(fact("assured-by", verifier.name_en, **link))
    return items


# Pieces shared by services, organizations and locations.

def phone(record, *, owner, owner_id, description="", kind=None):
    """The record's phone number as an HSDS phone, or None when it has none."""
    if not record.has_phone:
        return None
    number = record.phone.as_e164 if record.phone else record.short_code
    item = {"id": derived_id("phone", owner_id), f"{owner}_id": owner_id, "number": number,
            "type": "voice", "description": description}
    if record.phone and record.phone_extension:
        item["extension"] = int(record.phone_extension)
    return _compact(item)


def schedules(hours, *, owner, owner_id):
    items = []
    for row in hours:
        item = {"id": derived_id("schedule", owner_id, row.weekday, row.opens or "", row.closes
                                 or "", row.is_24_hours),
                f"{owner}_id": owner_id, "freq": "WEEKLY", "byday": WEEKDAYS[row.weekday],
                "description": str(row)}
        if row.is_24_hours:
            item |= {"opens_at": DAY_OPENS.isoformat(), "closes_at": DAY_CLOSES.isoformat()}
        elif not row.is_closed:
            item |= {"opens_at": row.opens.isoformat(), "closes_at": row.closes.isoformat()}
        items.append(item)
    return items


def languages(record, *, owner, owner_id):
    return [{"id": derived_id("language", owner_id, language.code), f"{owner}_id": owner_id,
             "name": language.name_en, "code": language.code}
            for language in record.languages.all()]


def location_id(location):
    """Location rows have no UUID: theirs is derived from their primary key."""
    return derived_id("location", location.pk)


def address(location, *, location_hsds_id):
    """The public address of a location; None for a confidential one.

    HSDS requires the street, city, state and ZIP code keys, so an unknown one is "".
    """
    if location is None or location.is_confidential:
        return None
    item = {
        "id": derived_id("address", location_hsds_id), "location_id": location_hsds_id,
        "address_1": location.street_address, "city": location.city,
        "state_province": location.state, "postal_code": location.postal_code,
        "country": COUNTRY, "address_type": "physical",
    }
    if location.region:
        item["region"] = location.region.name_en
    return item


def _coordinates(location):
    if location is None or location.is_confidential or location.latitude is None:
        return {}
    return {"latitude": float(location.latitude), "longitude": float(location.longitude)}


def location(place, *, full=True):
    """A public Location row as an HSDS location."""
    assert not place.is_confidential, "confidential locations are never mapped"
    hsds_id = location_id(place)
    item = _compact({
        "id": hsds_id, "location_type": "physical",
        "organization_id": str(place.organization_id) if place.organization_id else "",
        "name": place.name_en, "description": place.access_notes_en,
    }) | _coordinates(place)
    if full:
        item["addresses"] = [address(place, location_hsds_id=hsds_id)]
        item["schedules"] = schedules(place.hours.all(), owner="location", owner_id=hsds_id)
    return item


def facility_location(facility, *, full=True):
    """A detention facility as an HSDS location of its operator, under its official name."""
    hsds_id = str(facility.pk)
    place = facility.location
    item = _compact({
        "id": hsds_id, "location_type": "physical", "url": facility.website,
        "organization_id": str(facility.operator_id), "name": facility.official_name,
        "alternate_name": facility.name_en if facility.name_en != facility.official_name
        else "",
        "description": _text(facility),
    }) | _coordinates(place)
    if not full:
        return item
    link = {"link_id": hsds_id, "link_entity": "location"}
    attributes = _record_attributes(facility, link_entity="location",
                                    record_type="detention_facility")
    if facility.authority.is_published:
        attributes.append(fact("holding-authority", facility.authority_id, **link))
    if facility.kind:
        attributes.append(fact("facility-kind", facility.kind, **link))
    attributes += [fact("other-name", name, **link) for name in facility.other_names_list]
    for code, value in (("visiting-rules", facility.visiting_rules_en),
                        ("how-to-find-someone", facility.how_to_find_someone_en),
                        ("detainee-locator", facility.locator_url)):
        if value:
            attributes.append(fact(code, value, **link))
    public_place = place if place is not None and not place.is_confidential else None
    item |= {
        "addresses": [address(public_place, location_hsds_id=hsds_id)] if public_place else [],
        "phones": [p for p in [phone(facility, owner="location", owner_id=hsds_id)] if p],
        "schedules": schedules(public_place.hours.all(), owner="location", owner_id=hsds_id)
        if public_place else [],
        "languages": languages(facility, owner="location", owner_id=hsds_id),
        "attributes": attributes,
    }
    return item


# Organizations.

def organization(org, *, full=False, services=(), locations=()):
    item = _compact({
        "id": str(org.pk), "name": org.name_en, "email": org.email, "website": org.website,
        "uri": english_url(org),
        "parent_organization_id": str(org.parent_id)
        if org.parent_id and org.parent.is_published else "",
    }) | {"description": _text(org)}
    if not full:
        return item
    link = {"link_id": str(org.pk), "link_entity": "organization"}
    attributes = _record_attributes(org, link_entity="organization")
    attributes.append(fact("organization-kind", org.kind, **link))
    return item | {
        "phones": [p for p in [phone(org, owner="organization", owner_id=str(org.pk))] if p],
        "locations": list(locations),
        "attributes": attributes,
        "services": list(services),
    }


# Services: a Service, a Hotline or a LegalFund.

def service_summary(record):
    """The one-to-one fields of any service-like record, as lists carry them."""
    org = record.organization
    verifier = record.verified_by
    item = _compact({
        "id": str(record.pk), "organization_id": str(record.organization_id),
        "name": record.name_en, "description": _text(record), "url": record.website,
        "status": "active",
        "eligibility_description": getattr(record, "eligibility_en", ""),
        "application_process": getattr(record, "how_to_get_it_en", ""),
        "assured_date": record.last_verified_on.isoformat() if record.last_verified_on else "",
        "assurer_email": verifier.email if verifier and verifier.is_published else "",
        "last_modified": timestamp(record.updated_at),
    }) | {"organization": organization(org)}
    if isinstance(record, Service) and record.cost:
        item["fees_description"] = str(Service.Cost(record.cost).label)
    return item


def service(record):
    """A fully nested HSDS service from a Service, a Hotline or a LegalFund."""
    mapper = {Service: _plain_service, Hotline: _hotline, LegalFund: _legal_fund}
    return mapper[type(record)](record)


def _nested(record, *, record_type):
    hsds_id = str(record.pk)
    return service_summary(record) | {
        "phones": [],
        "schedules": [],
        "service_areas": [{"id": derived_id("service_area", hsds_id, region.slug),
                           "service_id": hsds_id, "name": region.name_en,
                           "uri": absolute(reverse_en("directory:region-detail",
                                                      slug=region.slug))}
                          for region in record.areas_served.all()],
        "service_at_locations": [],
        "languages": languages(record, owner="service", owner_id=hsds_id),
        "funding": [],
        "attributes": _record_attributes(record, link_entity="service", record_type=record_type),
    }


def _plain_service(record):
    item = _nested(record, record_type="service")
    hsds_id = item["id"]
    item["phones"] = [p for p in [phone(record, owner="service", owner_id=hsds_id)] if p]
    item["schedules"] = schedules(record.hours.all(), owner="service", owner_id=hsds_id)
    if record.location is not None and not record.location.is_confidential:
        item["service_at_locations"] = [service_at_location(record, with_service=False)]
    if record.legal_help_by:
        item["attributes"].append(fact("legal-help-by", record.legal_help_by,
                                       link_id=hsds_id, link_entity="service"))
    return item


def menu_option_text(option):
    text = gettext("Press %(digits)s: %(purpose)s") % {"digits": option.digits,
                                                       "purpose": option.purpose_en}
    if option.hours_note_en:
        text += f" ({option.hours_note_en})"
    if option.last_checked_on:
        text += " — " + gettext("last checked on %(date)s") % {
            "date": option.last_checked_on.isoformat()}
    return text


def _hotline(record):
    item = _nested(record, record_type="hotline")
    hsds_id = item["id"]
    options = record.shown_menu_options
    description = ". ".join([record.purpose_en] + [menu_option_text(o) for o in options]) + "."
    voice = phone(record, owner="service", owner_id=hsds_id, description=description)
    if voice:
        voice["attributes"] = [
            fact("phone-menu-option", f"{option.digits}: {option.purpose_en}",
                 link_id=voice["id"], link_entity="phone") for option in options]
        item["phones"].append(voice)
    if record.sms_number:
        item["phones"].append({
            "id": derived_id("phone", hsds_id, "sms"), "service_id": hsds_id,
            "number": record.sms_number, "type": "text",
            "description": gettext("Text messages")})
    item["schedules"] = schedules(record.hours.all(), owner="service", owner_id=hsds_id)
    item["attributes"].append(fact("hotline-purpose", record.purpose_en, link_id=hsds_id,
                                   link_entity="service"))
    return item


def _legal_fund(record):
    item = _nested(record, record_type="legal_fund")
    hsds_id = item["id"]
    item["funding"] = [_compact({"id": derived_id("funding", hsds_id), "service_id": hsds_id,
                                 "source": record.pays_for_en})]
    link = {"link_id": hsds_id, "link_entity": "service"}
    item["attributes"].append(fact("legal-fund-kind", record.kind, **link))
    if record.donate_url:
        item["attributes"].append(fact("donation-link", record.donate_url, **link))
    return item


def service_at_location(record, *, with_service=True, full=True):
    """A Service at its public Location."""
    place = record.location
    loc_id = location_id(place)
    item = {"id": derived_id("service_at_location", record.pk, loc_id),
            "service_id": str(record.pk), "location_id": loc_id,
            "location": location(place, full=full)}
    if with_service:
        item["service"] = service_summary(record)
    return item


# Querysets: what is public, with what each mapping reads, in a fixed number of queries.

def public_organizations():
    return Organization.objects.published()


def public(model):
    """Published service-like records whose organization is published too."""
    return model.objects.published().filter(organization__is_published=True)


def public_locations():
    """Location rows that may be shown: never a confidential one."""
    return Location.objects.filter(is_confidential=False)


RECORD_PREFETCH = ("categories", "languages", "areas_served")


def with_summary_relations(queryset):
    return queryset.select_related("organization__parent", "verified_by")


def with_service_relations(queryset):
    model = queryset.model
    queryset = with_summary_relations(queryset).prefetch_related(*RECORD_PREFETCH)
    if model is Service:
        return queryset.select_related("location__region").prefetch_related(
            "hours", "location__hours")
    if model is Hotline:
        return queryset.prefetch_related("hours", Prefetch(
            "menu_options", HotlineMenuOption.objects.order_by("position", "digits")))
    return queryset


def public_facilities():
    return DetentionFacility.objects.published().filter(
        operator__is_published=True).select_related(
        "authority", "verified_by", "location__region").prefetch_related(
        "categories", "languages", "location__hours")


def with_organization_relations(queryset):
    return queryset.select_related("parent", "verified_by").prefetch_related(
        "categories",
        Prefetch("locations", public_locations().select_related("region").prefetch_related(
            "hours")),
        Prefetch("operated_facilities", public_facilities()),
    )


def organization_locations(org):
    return [location(place) for place in org.locations.all()] + [
        facility_location(facility) for facility in org.operated_facilities.all()]


def categories_by_term_id():
    return {category_term_id(category.slug): category for category in Category.objects.all()}
