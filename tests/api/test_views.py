"""The HSDS API: every answer valid against the HSDS 3.0 schemas, and the mapping exact."""

import datetime
import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Notice
from api import hsds
from directory.models import (
    Category,
    DetentionFacility,
    Hotline,
    LegalFund,
    Organization,
    Service,
)
from tests import factories
from tests.api.conftest import PRIVATE_NAMES, SECRET_PLACE, SECRET_STREET, SECRET_ZIP
from tests.api.hsds_schemas import assert_valid, assert_valid_page

API = "/api/hsds"
LISTS = {
    "/services": "compiled/service_list.json",
    "/services?full=true": "compiled/service.json",
    "/organizations": "compiled/organization_list.json",
    "/organizations?full=true&full_service=true": "compiled/organization.json",
    "/service_at_locations": "compiled/service_at_location_list.json",
    "/service_at_locations?full=true": "compiled/service_at_location.json",
    "/taxonomies": "taxonomy.json",
    "/taxonomy_terms": "taxonomy_term.json",
}


def get_json(client, path, status=200):
    response = client.get(API + path)
    assert response.status_code == status, (path, response.content[:500])
    assert response["Content-Type"] == "application/json"
    return response.json()


def every_answer(client):
    """Every path of the API for the directory in the database, with its JSON answer."""
    answers = {path: get_json(client, path) for path in ["/", "/openapi.json", "/notices",
                                                         *LISTS]}
    for path, kind in (("/services", "services"), ("/organizations", "organizations"),
                       ("/service_at_locations", "service_at_locations"),
                       ("/taxonomies", "taxonomies"), ("/taxonomy_terms", "taxonomy_terms")):
        for item in get_json(client, path + "?per_page=100")["contents"]:
            detail = f"/{kind}/{item['id']}"
            answers[detail] = get_json(client, detail)
    return answers


DETAIL_SCHEMAS = {"services": "compiled/service.json",
                  "organizations": "compiled/organization.json",
                  "service_at_locations": "compiled/service_at_location.json",
                  "taxonomies": "taxonomy.json", "taxonomy_terms": "taxonomy_term.json"}


def test_every_answer_validates_against_the_hsds_schemas(client, hsds_directory):
    answers = every_answer(client)
    assert len(answers) > 40
    for path, body in answers.items():
        if path in LISTS:
            assert_valid_page(body, LISTS[path])
        elif path.count("/") == 2:
            assert_valid(body, DETAIL_SCHEMAS[path.split("/")[1]])
    assert answers["/"] == {"version": "3.0", "profile": "https://docs.openreferral.org/en/v3.0/",
                            "openapi_url": "http://127.0.0.1:8000/api/hsds/openapi.json"}


def test_no_confidential_place_private_person_or_unpublished_record_in_any_answer(
        client, hsds_directory):
    text = json.dumps(every_answer(client), ensure_ascii=False)
    for secret in (SECRET_STREET, SECRET_PLACE, SECRET_ZIP, "39.700001", "-104.900001",
                   "08:00:00", "Draft service", "Unpublished group", "Orphan service",
                   *PRIVATE_NAMES):
        assert secret not in text
    shelter_id = hsds.location_id(hsds_directory["shelter"])
    assert shelter_id not in text
    hidden = get_json(client, f"/services/{hsds_directory['hidden_service'].pk}")
    assert hidden["service_at_locations"] == []
    hold_room = DetentionFacility.objects.get(slug="hold-room")
    geo = get_json(client, f"/organizations/{hold_room.operator_id}")
    [room] = [place for place in geo["locations"] if place["id"] == str(hold_room.pk)]
    assert room["addresses"] == [] and room["schedules"] == [] and "latitude" not in room
    draft = Service.objects.get(slug="draft")
    get_json(client, f"/services/{draft.pk}", status=404)
    orphan = Service.objects.get(slug="orphan")
    get_json(client, f"/services/{orphan.pk}", status=404)
    get_json(client, f"/organizations/{orphan.organization_id}", status=404)


def test_the_circ_hotline_is_a_service_with_its_phone_and_menu_option(client, hsds_directory):
    hotline = Hotline.objects.get(slug="circ-hotline")
    service = get_json(client, f"/services/{hotline.pk}")
    assert service["id"] == str(hotline.pk)
    assert service["organization_id"] == str(hotline.organization_id)
    assert service["name"] == "Colorado Immigrant Rights Coalition hotline"
    assert service["status"] == "active"
    assert service["assured_date"] == "2019-07-11"
    assert service["organization"]["name"] == "Colorado Immigrant Rights Coalition"
    [phone] = service["phones"]
    assert phone["number"] == "+18448648341"
    assert phone["type"] == "voice"
    assert phone["service_id"] == str(hotline.pk)
    assert phone["description"] == (
        "Report ICE activity. Press 2: Report ICE activity — last checked on 2019-07-11.")
    [option] = phone["attributes"]
    assert option["value"] == "2: Report ICE activity"
    assert option["link_id"] == phone["id"] and option["link_entity"] == "phone"
    assert option["taxonomy_term"]["code"] == "phone-menu-option"
    facts = {a["taxonomy_term"]["code"]: a.get("value") for a in service["attributes"]}
    assert facts == {"rapid-response": None, "record-type": "hotline",
                     "hotline-purpose": "Report ICE activity"}
    assert [area["name"] for area in service["service_areas"]] == ["Colorado"]
    assert service["service_areas"][0]["uri"] == "http://127.0.0.1:8000/en/regions/colorado/"
    assert service["funding"] == []


def test_a_text_line_with_a_menu_lists_every_option_and_its_sms_number(client, hsds_directory):
    line = hsds_directory["text_line"]
    service = get_json(client, f"/services/{line.pk}")
    voice, text = service["phones"]
    assert voice["description"] == (
        "Ask for a lawyer. Press 1: English (weekdays). Press 2: Español.")
    assert [a["value"] for a in voice["attributes"]] == ["1: English", "2: Español"]
    assert text == {"id": text["id"], "service_id": str(line.pk), "number": "52886",
                    "type": "text", "description": "Text messages"}
    [day] = service["schedules"]
    assert day | {"id": ""} == {"id": "", "service_id": str(line.pk), "freq": "WEEKLY",
                                "byday": "FR", "opens_at": "00:00:00", "closes_at": "23:59:59",
                                "description": "Friday: 24 hours"}


def test_the_legal_fund_is_a_service_with_funding(client, hsds_directory):
    fund = LegalFund.objects.get(slug="denver-immigrant-legal-services-fund")
    service = get_json(client, f"/services/{fund.pk}")
    assert service["name"] == "Denver Immigrant Legal Services Fund"
    assert service["organization_id"] == str(fund.organization_id)
    assert service["description"].startswith("The City of Denver created this fund")
    assert service["funding"] == [{
        "id": service["funding"][0]["id"], "service_id": str(fund.pk),
        "source": "Free legal counsel for people who face possible deportation."}]
    facts = {a["taxonomy_term"]["code"]: a.get("value") for a in service["attributes"]}
    assert facts == {"legal-help": None, "record-type": "legal_fund",
                     "legal-fund-kind": "legal_defense"}
    assert service["phones"] == []


def test_the_aurora_facility_is_a_location_of_its_operator(client, hsds_directory):
    facility = DetentionFacility.objects.get(slug="denver-contract-detention-facility")
    geo = get_json(client, f"/organizations/{facility.operator_id}")
    assert geo["name"] == "The GEO Group"
    [place] = [item for item in geo["locations"] if item["id"] == str(facility.pk)]
    assert place["name"] == "Denver Contract Detention Facility"
    assert place["alternate_name"] == "GEO Group ICE detention facility in Aurora"
    assert place["organization_id"] == str(geo["id"])
    assert place["location_type"] == "physical"
    [address] = place["addresses"]
    assert (address["city"], address["state_province"], address["country"]) == (
        "Aurora", "CO", "US")
    facts = {a["taxonomy_term"]["code"]: a.get("value") for a in place["attributes"]}
    assert facts == {
        "detention": None, "record-type": "detention_facility",
        "holding-authority": str(facility.authority_id), "facility-kind": "contract",
        "other-name": "Aurora ICE Processing Center",
        "how-to-find-someone": facility.how_to_find_someone_en,
        "detainee-locator": "https://locator.ice.gov/odls/"}
    kinds = {a["taxonomy_term"]["code"]: a["value"] for a in geo["attributes"]
             if a["taxonomy_term"]["code"] == "organization-kind"}
    assert kinds == {"organization-kind": "detention_operator"}


def test_a_service_carries_its_location_hours_cost_and_languages(client, hsds_directory):
    clinic, office = hsds_directory["clinic"], hsds_directory["office"]
    service = get_json(client, f"/services/{clinic.pk}")
    assert service["description"] == "Bring any letters."
    assert service["eligibility_description"] == "Anyone in Denver."
    assert service["application_process"] == "Walk in on Mondays."
    assert service["fees_description"] == "Free"
    assert service["url"] == "https://example.org/clinic"
    assert service["phones"][0]["number"] == "+17205550100"
    assert service["phones"][0]["extension"] == 12
    assert [(s["byday"], s.get("opens_at"), s.get("closes_at")) for s in service["schedules"]] \
        == [("MO", "09:00:00", "12:00:00"), ("WE", "00:00:00", "23:59:59")]
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [("es", "Spanish")]
    [at] = service["service_at_locations"]
    assert at["location_id"] == hsds.location_id(office)
    place = at["location"]
    assert place["name"] == "Westside office"
    assert place["description"] == "Ring at the side door."
    assert (place["latitude"], place["longitude"]) == (39.735, -105.025)
    assert place["addresses"][0]["address_1"] == "1200 Federal Blvd"
    assert place["addresses"][0]["postal_code"] == "80204"
    assert [s["description"] for s in place["schedules"]] == ["Monday: 09:00–17:00",
                                                              "Sunday: closed"]
    facts = {a["taxonomy_term"]["code"]: a.get("value") for a in service["attributes"]}
    assert facts["legal-help-by"] == "attorney"
    assert get_json(client, f"/service_at_locations/{at['id']}")["service"]["id"] == str(
        clinic.pk)


def test_organizations_include_enforcement_with_their_kind(client, hsds_directory):
    ice = Organization.objects.get(slug="ice")
    body = get_json(client, f"/organizations/{ice.pk}")
    kinds = [a["value"] for a in body["attributes"]
             if a["taxonomy_term"]["code"] == "organization-kind"]
    assert kinds == ["enforcement_agency"]
    assert body["services"] == []
    coalition = get_json(client, f"/organizations/{hsds_directory['coalition'].pk}")
    assert {s["name"] for s in coalition["services"]} >= {
        "Colorado Immigrant Rights Coalition hotline", "Walk-in legal clinic"}
    assert "phones" not in coalition["services"][0]
    full = get_json(client, f"/organizations/{hsds_directory['coalition'].pk}?full_service=true")
    assert all("attributes" in s for s in full["services"])


def test_categories_are_terms_with_ids_derived_from_their_slugs(client, hsds_directory):
    terms = get_json(client, "/taxonomy_terms?per_page=100")["contents"]
    legal = next(term for term in terms if term["code"] == "legal-help")
    assert legal["id"] == hsds.category_term_id("legal-help")
    assert legal["taxonomy_id"] == hsds.CATEGORY_TAXONOMY_ID
    assert legal["name"] == "Legal help"
    facts = get_json(client, f"/taxonomy_terms?taxonomy_id={hsds.FACT_TAXONOMY_ID}")
    assert facts["total_items"] == len(hsds.FACTS)
    assert get_json(client, f"/taxonomy_terms?parent_id={legal['id']}")["total_items"] == 0
    assert get_json(client, "/taxonomies?search=facts")["total_items"] == 1


def test_answers_are_english_whatever_the_visitor_asks_for(client, hsds_directory):
    body = client.get(API + "/taxonomy_terms", HTTP_ACCEPT_LANGUAGE="es").json()
    assert "Legal help" in json.dumps(body)
    assert "Ayuda legal" not in json.dumps(body)


def test_lists_paginate_as_the_hsds_api_says(client, hsds_directory):
    first = get_json(client, "/services?per_page=2")
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"],
            first["first_page"], first["last_page"], first["empty"]) == (8, 4, 1, 2, True,
                                                                         False, False)
    pages = [get_json(client, f"/services?per_page=2&page={n}") for n in (1, 2, 3, 4)]
    names = [item["name"] for page in pages for item in page["contents"]]
    assert names == sorted(names) and len(set(names)) == 8
    assert pages[-1]["last_page"] and not pages[-1]["first_page"]
    beyond = get_json(client, "/services?per_page=2&page=9")
    assert (beyond["size"], beyond["empty"], beyond["last_page"]) == (0, True, True)
    minimal = get_json(client, "/services?minimal=true&per_page=1")["contents"][0]
    assert set(minimal) == {"id", "name", "status", "last_modified"}


def test_filters_combine_with_and(client, hsds_directory):
    coalition = hsds_directory["coalition"]
    legal = hsds.category_term_id("legal-help")

    def names(query):
        return sorted(item["name"] for item in get_json(client, "/services?" + query)["contents"])

    assert names(f"taxonomy_term_id={legal}") == [
        "Denver Immigrant Legal Services Fund",
        "Free legal counsel for people facing possible deportation",
        "Support for families in deportation proceedings", "Walk-in legal clinic"]
    assert names(f"taxonomy_term_id={legal}&organization_id={coalition.pk}") == [
        "Support for families in deportation proceedings", "Walk-in legal clinic"]
    assert names(f"taxonomy_term_id={legal}&organization_id={coalition.pk}&search=clinic") == [
        "Walk-in legal clinic"]
    assert names("search=ICE%20ACTIVITY") == ["Colorado Immigrant Rights Coalition hotline"]
    menu = hsds.fact_term_id("phone-menu-option")
    assert names(f"taxonomy_term_id={menu}") == ["Colorado Immigrant Rights Coalition hotline",
                                                 "Family text line"]
    assert names(f"taxonomy_id={hsds.CATEGORY_TAXONOMY_ID}&search=families") == [
        "Denver Immigrant Legal Services Fund", "Know-your-rights learning sessions for families",
        "Support for families in deportation proceedings"]
    assert names("taxonomy_id=3f7b145d-84af-42d7-8fae-eaca714b02b2") == []
    assert names("taxonomy_term_id=3f7b145d-84af-42d7-8fae-eaca714b02b2") == []
    Service.objects.filter(slug="walk-in-legal-clinic").update(
        updated_at=timezone.now() + datetime.timedelta(days=1))
    tomorrow = (timezone.now() + datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert names(f"modified_after={tomorrow}") == ["Walk-in legal clinic"]
    at = get_json(client, "/service_at_locations?postcode=80204")
    assert at["total_items"] == 1
    assert get_json(client, f"/service_at_locations?postcode={SECRET_ZIP}")["total_items"] == 0


@pytest.mark.parametrize("query, parameters", [
    ("page=x", ["page"]),
    ("page=0", ["page"]),
    ("per_page=101", ["per_page"]),
    ("per_page=2.5&page=-1", ["page", "per_page"]),
    ("modified_after=yesterday", ["modified_after"]),
    ("modified_after=2024-02-30T00:00:00Z", ["modified_after"]),
    ("taxonomy_term_id=legal-help", ["taxonomy_term_id"]),
    ("taxonomy_id=1&organization_id=2", ["organization_id", "taxonomy_id"]),
    ("full=yes", ["full"]),
    ("format=xml", ["format"]),
])
def test_bad_parameters_get_a_400_naming_each_one(client, db, query, parameters):
    response = client.get(f"{API}/services?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert sorted(error["parameter"] for error in body["errors"]) == parameters
    assert "ETag" not in response


@pytest.mark.parametrize("path", ["/services/{uuid}", "/organizations/{uuid}",
                                  "/service_at_locations/{uuid}", "/taxonomies/{uuid}",
                                  "/taxonomy_terms/{uuid}", "/services/not-an-id"])
def test_unknown_ids_get_a_json_404(client, db, path):
    response = client.get(API + path.format(uuid="3f7b145d-84af-42d7-8fae-eaca714b02b2"))
    assert response.status_code == 404
    assert response.json() == {"status": 404, "detail": "Nothing public has this id."}


def test_a_conditional_request_gets_304_until_the_directory_changes(client, hsds_directory):
    first = client.get(API + "/services")
    assert not first.cookies
    assert first["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(API + "/services", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(API + "/services", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(API + "/organizations", HTTP_IF_NONE_MATCH=etag).status_code == 200
    hotline = Hotline.objects.get(slug="circ-hotline")
    hotline.name_en = "CIRC rapid response line"
    hotline.save()
    changed = client.get(API + "/services", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_notices_beside_hsds_are_the_public_feed_notices(client, hsds_directory):
    checking = factories.make_notice(title_en="Raid reported",
                                     certainty=Notice.Certainty.BEING_CHECKED)
    body = get_json(client, "/notices")
    assert [item["title"] for item in body["contents"]] == ["Checkpoint confirmed"]
    [notice] = body["contents"]
    assert notice["place"] == "Denver Public Library"
    assert notice["confirmed_by"]["name"] == "Colorado Immigrant Rights Coalition"
    assert notice["url"].startswith("http://127.0.0.1:8000/en/")
    assert str(checking.pk) not in json.dumps(body)
    etag = client.get(API + "/notices")["ETag"]
    assert client.get(API + "/notices", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_client_over_the_limit_gets_429_with_retry_after(client, db, settings):
    settings.HSDS_API_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get(API + "/taxonomies").status_code == 200
    refused = client.get(API + "/taxonomies")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429
    other = client.get(API + "/taxonomies", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_the_limit_is_counted_under_a_daily_hmac_not_the_address(client, db, rf):
    from unittest import mock

    from django.core.cache import cache

    from api import throttling

    client.get(API + "/taxonomies", REMOTE_ADDR="198.51.100.23")
    request = rf.get("/", REMOTE_ADDR="198.51.100.23")
    key = throttling.client_key(request)
    assert "198.51.100.23" not in key and len(key) == 64
    window = int(time.time() // throttling.WINDOW_SECONDS)
    assert cache.get(f"api-rate:{window}:{key}") == 1
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("api.throttling.timezone.now", return_value=tomorrow):
        assert throttling.client_key(request) != key


def test_other_methods_are_refused(client, db):
    assert client.post(API + "/services").status_code == 405


# The pinned number of SQL queries per answer, the same with 2 records of each kind as with 30.
EXPECTED_QUERIES = {
    "/services?per_page=100": 5,
    "/services?full=true&per_page=100": 18,
    "/organizations?per_page=100": 2,
    "/organizations?full=true&per_page=100": 12,
    "/service_at_locations?per_page=100": 2,
    "/taxonomy_terms?per_page=100": 1,
    "/notices": 10,
}


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API + path).status_code == 200
    return len(queries)


def _add_notices(count, publisher):
    for _ in range(count):
        notice = factories.make_public_notice(publisher=publisher)
        notice.services.add(Service.objects.order_by("?").first())
        notice.hotlines.add(Hotline.objects.order_by("?").first())
        notice.regions.add(*notice.confirmed_by.areas_served.all())


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_directory(client, settings):
    settings.HSDS_API_RATE_LIMIT = 1000
    publisher = factories.make_publisher()
    factories.make_full_directory(2)
    _add_notices(2, publisher)
    small = {path: _count(client, path) for path in EXPECTED_QUERIES}
    factories.make_full_directory(28)
    _add_notices(28, publisher)
    assert Service.objects.count() == 30
    large = {path: _count(client, path) for path in EXPECTED_QUERIES}
    assert small == large
    assert small == EXPECTED_QUERIES, small
    assert Category.objects.exists()
