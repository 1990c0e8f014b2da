"""The sample data: complete, bilingual, sourced, idempotent, and naming no private person."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from directory.models import (
    Category,
    DetentionFacility,
    Hotline,
    HotlineMenuOption,
    Language,
    LegalFund,
    Location,
    Organization,
    Policy,
    Region,
    Service,
    Source,
)
from directory.sample_data import load_sample_data

# Written out by hand from SAMPLE-DATA.md, not taken from the module under test.
EXPECTED_SLUGS = {
    Organization: {
        "colorado-immigrant-rights-coalition",
        "denver-immigrant-legal-services-fund",
        "denver-office-of-immigrant-and-refugee-affairs",
        "denver-agency-for-human-rights-and-community-partnerships",
        "city-of-denver",
        "denver-police-department",
        "aurora-police-department",
        "denver-public-schools",
        "the-geo-group",
        "ice",
    },
    Hotline: {"circ-hotline"},
    LegalFund: {"denver-immigrant-legal-services-fund"},
    DetentionFacility: {"denver-contract-detention-facility"},
    Service: {
        "circ-know-your-rights-sessions",
        "circ-deportation-proceedings-support",
        "denver-fund-free-legal-counsel",
    },
    Policy: {
        "denver-police-no-ice-raids",
        "city-of-denver-stands-with-immigrant-families",
        "aurora-police-immigration-status",
        "dps-schools-for-all-students",
    },
    Region: {"united-states", "colorado", "denver", "aurora"},
}

RECORD_MODELS = (Organization, Service, Hotline, LegalFund, DetentionFacility, Policy)

PRIVATE_NAMES = ("Encalada", "Latorre", "Ingrid")

JULY_ARTICLE = datetime.date(2019, 7, 11)
JUNE_ARTICLE = datetime.date(2019, 6, 21)


def _directory_row_counts():
    """Rows in every directory and notices table: records, history and many-to-many tables."""
    return {
        model._meta.label: model._base_manager.count()
        for app in ("directory", "alerts")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def _unfiltered(model):
    """All rows, with modeltranslation's rewriting of `name` to `name_<lang>` turned off."""
    queryset = model._base_manager.all()
    if hasattr(queryset, "rewrite"):
        queryset = queryset.rewrite(False)
    return queryset


def _text_hits(word):
    """Every (table, column) in the whole database whose text contains `word`."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, models.CharField | models.TextField):
                continue
            lookup = {f"{model_field.attname}__icontains": word}
            if _unfiltered(model).filter(**lookup).exists():
                hits.append((model._meta.db_table, model_field.column))
    return hits


@pytest.mark.django_db
def test_loading_twice_changes_no_table():
    first = load_sample_data()
    assert first.total_created > 0
    counts = _directory_row_counts()
    # Every table the sample fills was written once, history included.
    assert counts["directory.HistoricalOrganization"] == 10
    assert counts["directory.HistoricalHotlineMenuOption"] == 1
    assert counts["directory.Organization_sources"] > 0

    second = load_sample_data()

    assert (second.total_created, second.total_updated) == (0, 0)
    assert second.total_unchanged == first.total_created
    assert _directory_row_counts() == counts


@pytest.mark.django_db
def test_the_command_twice_changes_no_table_of_any_app():
    call_command("load_sample_data", stdout=StringIO())
    counts = _directory_row_counts()
    assert counts["alerts.HistoricalNotice"] == 2
    call_command("load_sample_data", stdout=StringIO())
    assert _directory_row_counts() == counts


@pytest.mark.django_db
def test_command_reports_nothing_new_on_the_second_run():
    first, second = StringIO(), StringIO()
    call_command("load_sample_data", stdout=first)
    call_command("load_sample_data", stdout=second)
    assert "0 created" not in first.getvalue()
    lines = second.getvalue().strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["Directory", "Notices"]
    assert all("0 created, 0 updated" in line for line in lines)


@pytest.mark.django_db
def test_a_changed_value_is_put_back_with_one_history_row():
    load_sample_data()
    Organization.objects.filter(slug="ice").update(name_es="cambiado")
    ice = Organization.objects.get(slug="ice")
    ice.categories.clear()
    history_before = ice.history.count()

    report = load_sample_data()

    assert report.total_updated == 1
    assert report.total_created == 0
    ice.refresh_from_db()
    assert ice.name_es == "Servicio de Inmigración y Control de Aduanas (ICE)"
    assert set(ice.categories.values_list("slug", flat=True)) == {"detention"}
    assert ice.history.count() == history_before + 1


@pytest.mark.django_db
def test_every_item_of_the_sample_exists_in_english_and_spanish():
    load_sample_data()
    for model, slugs in EXPECTED_SLUGS.items():
        assert set(model.objects.values_list("slug", flat=True)) == slugs, model.__name__
        for obj in model.objects.all():
            assert obj.name_en and obj.name_es, obj.slug
    for model in RECORD_MODELS:
        for obj in model.objects.all():
            assert obj.is_published, obj.slug
            assert obj.summary_en and obj.summary_es, obj.slug
            assert obj.description_en and obj.description_es, obj.slug
            assert obj.summary_es != obj.summary_en, obj.slug
    assert Location.objects.get(name_en="Aurora detention facility").name_es
    assert set(Language.objects.values_list("code", "name_es")) == {
        ("en", "inglés"), ("es", "español")}
    assert Category.objects.count() >= 5
    assert all(c.name_es and c.description_es for c in Category.objects.all())

    regions = {r.slug: r for r in Region.objects.select_related("parent")}
    assert regions["united-states"].parent is None
    assert regions["colorado"].parent == regions["united-states"]
    assert regions["denver"].parent == regions["colorado"]
    assert regions["aurora"].parent == regions["colorado"]


@pytest.mark.django_db
def test_organization_kinds_and_the_coalitions_correct_name():
    load_sample_data()
    kinds = dict(Organization.objects.values_list("slug", "kind"))
    assert kinds["ice"] == Organization.Kind.ENFORCEMENT_AGENCY
    assert kinds["the-geo-group"] == Organization.Kind.DETENTION_OPERATOR
    assert kinds["denver-police-department"] == Organization.Kind.POLICE
    assert kinds["aurora-police-department"] == Organization.Kind.POLICE
    assert kinds["denver-public-schools"] == Organization.Kind.SCHOOL_DISTRICT
    assert kinds["denver-immigrant-legal-services-fund"] == Organization.Kind.FUND
    assert kinds["colorado-immigrant-rights-coalition"] == Organization.Kind.NONPROFIT
    coalition = Organization.objects.get(slug="colorado-immigrant-rights-coalition")
    assert coalition.name_en == "Colorado Immigrant Rights Coalition"
    assert "Colorado Immigration Rights Coalition" in coalition.description_en


@pytest.mark.django_db
def test_hotline_number_and_its_menu_option():
    load_sample_data()
    hotline = Hotline.objects.get(slug="circ-hotline")
    assert hotline.phone.as_e164 == "+18448648341"
    assert hotline.organization.slug == "colorado-immigrant-rights-coalition"
    assert hotline.purpose_en == "Report ICE activity"
    assert hotline.purpose_es
    assert hotline.is_featured
    assert hotline.sms_number == ""
    assert not hotline.hours.exists()
    option = HotlineMenuOption.objects.get(hotline=hotline)
    assert option.digits == "2"
    assert option.last_checked_on == JULY_ARTICLE
    assert option.purpose_en == "Report ICE activity"
    assert option.purpose_es


@pytest.mark.django_db
def test_detention_facility_names_operator_and_authority():
    load_sample_data()
    facility = DetentionFacility.objects.get(slug="denver-contract-detention-facility")
    assert facility.official_name == "Denver Contract Detention Facility"
    assert facility.other_names_list == ["Aurora ICE Processing Center"]
    assert facility.operator.slug == "the-geo-group"
    assert facility.operator.kind == Organization.Kind.DETENTION_OPERATOR
    assert facility.authority.slug == "ice"
    assert facility.authority.kind == Organization.Kind.ENFORCEMENT_AGENCY
    assert facility.kind == DetentionFacility.Kind.CONTRACT
    assert facility.locator_url == "https://locator.ice.gov/odls/"
    assert "A-number" in facility.how_to_find_someone_en
    assert facility.how_to_find_someone_es
    location = facility.location
    assert (location.city, location.state, location.region.slug) == ("Aurora", "CO", "aurora")
    assert location.street_address == ""
    assert not location.is_confidential
    # Unknown until staff enter them.
    assert facility.visiting_rules == "" and not facility.phone


@pytest.mark.django_db
def test_nothing_unreported_is_filled_in():
    load_sample_data()
    for model in RECORD_MODELS:
        for obj in model.objects.all():
            assert obj.website == "", obj.slug
            assert obj.verified_by is None, obj.slug
            assert not obj.languages.exists(), obj.slug
            assert obj.last_verified_on in (JULY_ARTICLE, JUNE_ARTICLE), obj.slug
    for org in Organization.objects.all():
        assert not org.phone and org.email == "", org.slug
    fund = LegalFund.objects.get(slug="denver-immigrant-legal-services-fund")
    assert (fund.donate_url, fund.eligibility) == ("", "")
    assert fund.kind == LegalFund.Kind.LEGAL_DEFENSE
    assert "Executive Order 142" in fund.description_en
    assert {s.publisher for s in fund.sources.all()} >= {
        "City and County of Denver", "The Denver Foundation"}
    assert Service.objects.get(slug="denver-fund-free-legal-counsel").cost == Service.Cost.FREE
    assert set(Service.objects.values_list("legal_help_by", flat=True)) == {""}
    for policy in Policy.objects.all():
        assert policy.is_in_force is None, policy.slug
        assert policy.quote_language == "en"
        assert bool(policy.quote_en) == bool(policy.quote_es), policy.slug
    assert "stands with our immigrant and refugee families" in Policy.objects.get(
        slug="city-of-denver-stands-with-immigrant-families").quote_en


@pytest.mark.django_db
def test_the_person_in_sanctuary_is_in_no_table_of_the_database():
    load_sample_data()
    # The scan itself finds text the sample does hold, in record and history tables.
    found = _text_hits("Denver Contract Detention Facility")
    assert ("directory_detentionfacility", "official_name") in found
    assert ("directory_historicaldetentionfacility", "official_name") in found
    assert ("directory_organization", "name") in _text_hits("GEO Group")
    for word in PRIVATE_NAMES:
        assert _text_hits(word) == [], word


@pytest.mark.django_db
def test_every_record_cites_a_source():
    load_sample_data()
    for model in RECORD_MODELS:
        for obj in model.objects.prefetch_related("sources"):
            assert obj.sources.exists(), f"{model.__name__} {obj.slug}"
    articles = Source.objects.filter(publisher="Denver7")
    assert set(articles.values_list("published_on", flat=True)) == {JULY_ARTICLE, JUNE_ARTICLE}
    assert set(articles.values_list("url", flat=True)) == {""}
    hotline = Hotline.objects.get(slug="circ-hotline")
    assert hotline.sources.get().published_on == JULY_ARTICLE
    locator = Source.objects.get(url="https://locator.ice.gov/odls/")
    assert locator.detentionfacility_set.filter(
        slug="denver-contract-detention-facility").exists()
