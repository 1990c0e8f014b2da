import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import (
    Category,
    DetentionFacility,
    Hotline,
    LegalFund,
    Organization,
    Policy,
    Region,
    Service,
)
from tests import factories
from tests.sitecheck import crawl

# Every directory item SAMPLE-DATA.md names, as the public path of its page.
SAMPLE_ITEMS = [
    "organizations/colorado-immigrant-rights-coalition/",
    "organizations/denver-immigrant-legal-services-fund/",
    "organizations/denver-office-of-immigrant-and-refugee-affairs/",
    "organizations/denver-agency-for-human-rights-and-community-partnerships/",
    "organizations/city-of-denver/",
    "organizations/denver-police-department/",
    "organizations/aurora-police-department/",
    "organizations/denver-public-schools/",
    "organizations/the-geo-group/",
    "organizations/ice/",
    "hotlines/circ-hotline/",
    "legal-funds/denver-immigrant-legal-services-fund/",
    "detention-facilities/denver-contract-detention-facility/",
    "services/circ-know-your-rights-sessions/",
    "services/circ-deportation-proceedings-support/",
    "services/denver-fund-free-legal-counsel/",
    "policies/denver-police-no-ice-raids/",
    "policies/city-of-denver-stands-with-immigrant-families/",
    "policies/aurora-police-immigration-status/",
    "policies/dps-schools-for-all-students/",
    "regions/denver/",
    "regions/aurora/",
    "regions/colorado/",
    "regions/united-states/",
]
LIST_PAGES = ["", "hotlines/", "organizations/", "organizations/enforcement/", "services/",
              "legal-funds/", "detention-facilities/", "policies/", "regions/", "categories/",
              "about/"]


@pytest.fixture
def sample_data(db):
    call_command("load_sample_data", verbosity=0)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_sample_item_is_reachable_from_the_home_page(client, sample_data, language):
    pages = crawl(client, starts=[f"/{language}/"], use_sitemap=False)
    missing = [item for item in SAMPLE_ITEMS if f"/{language}/{item}" not in pages]
    assert missing == []


def test_site_wide_check_passes_on_every_public_page(client, sample_data):
    pages = crawl(client)
    problems = {path: found for path, (_response, found) in pages.items() if found}
    assert problems == {}
    records = sum(model.objects.published().count() for model in (
        Organization, Hotline, Service, LegalFund, DetentionFacility, Policy))
    vocabularies = Region.objects.count() + Category.objects.count()
    assert len(pages) >= 2 * (len(LIST_PAGES) + records + vocabularies)


def test_root_picks_the_language_from_the_browser(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")["Location"] == "/es/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/en/"
    assert client.get("/")["Location"] == "/en/"


def test_sample_hotline_dials_the_number_and_says_to_press_2(client, sample_data):
    html = client.get("/en/hotlines/circ-hotline/").content.decode()
    assert 'href="tel:+18448648341"' in html
    assert "tel:+18448648341,2" not in html
    assert "then press 2 — last checked on July 11, 2019" in html
    spanish = client.get("/es/hotlines/circ-hotline/").content.decode()
    assert "luego marque 2 — revisado por última vez el 11 de julio de 2019" in spanish


def test_freshly_checked_menu_option_is_pre_dialled(client, db):
    option = factories.make_menu_option(last_checked_on=timezone.localdate())
    html = client.get(option.hotline.get_absolute_url()).content.decode()
    assert f'href="tel:{option.hotline.phone.as_e164},2"' in html
    assert "then press 2" not in html
    option.last_checked_on = timezone.localdate() - datetime.timedelta(days=31)
    option.save()
    html = client.get(option.hotline.get_absolute_url()).content.decode()
    assert f"tel:{option.hotline.phone.as_e164},2" not in html
    assert "then press 2" in html


def test_hotline_with_a_text_line_offers_an_sms_link(client, db):
    hotline = factories.make_hotline(sms_number="+17205550100")
    assert 'href="sms:+17205550100"' in client.get(hotline.get_absolute_url()).content.decode()


def test_home_page_puts_the_featured_hotline_first(client, sample_data):
    html = client.get("/es/").content.decode()
    main = html[html.index("<main"):]
    assert main.index("tel:+18448648341") < main.index('role="search"')


def test_enforcement_organizations_are_listed_apart_and_never_get_a_call_link(client, db):
    agency = factories.make_organization(kind=Organization.Kind.ENFORCEMENT_AGENCY,
                                         phone="+12025550100")
    helper = factories.make_organization(phone="+13035550100")
    helpers_page = client.get("/en/organizations/").content.decode()
    enforcement_page = client.get("/en/organizations/enforcement/").content.decode()
    assert helper.get_absolute_url() in helpers_page
    assert agency.get_absolute_url() not in helpers_page
    assert agency.get_absolute_url() in enforcement_page
    agency_page = client.get(agency.get_absolute_url()).content.decode()
    assert "tel:" not in agency_page
    assert "(202) 555-0100" in agency_page
    assert 'href="tel:+13035550100"' in client.get(helper.get_absolute_url()).content.decode()


def test_confidential_address_appears_nowhere_public(client, db):
    location = factories.make_location(street_address="1234 Hidden Lane", is_confidential=True)
    service = factories.make_service(location=location)
    html = client.get(service.get_absolute_url()).content.decode()
    assert "1234 Hidden Lane" not in html
    assert "openstreetmap" not in html
    assert "Call for the address." in html
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "Hidden Lane" not in sitemap


def test_public_address_links_to_openstreetmap(client, db):
    location = factories.make_location(street_address="100 Main St")
    service = factories.make_service(location=location)
    html = client.get(service.get_absolute_url()).content.decode()
    assert "100 Main St" in html
    assert 'href="https://www.openstreetmap.org/search?query=100+Main+St' in html


def test_policy_is_a_dated_statement_not_a_law(client, sample_data):
    html = client.get("/en/policies/aurora-police-immigration-status/").content.decode()
    assert "Statement of June 21, 2019 — not a law." in html
    spanish = client.get("/es/policies/aurora-police-immigration-status/").content.decode()
    assert "Declaración del 21 de junio de 2019: no es una ley." in spanish
    assert "(nuestra traducción)" in spanish


def test_unknown_facts_say_so(client, sample_data):
    html = client.get("/en/detention-facilities/denver-contract-detention-facility/")
    html = html.content.decode()
    assert "Denver Contract Detention Facility" in html
    assert "Aurora ICE Processing Center" in html
    assert re.search(r"Visiting rules</dt>\s*<dd[^>]*>Not known yet — call the hotline\.", html)
    assert 'href="https://locator.ice.gov/odls/"' in html


def test_legal_service_says_who_gives_the_help(client, db):
    service = factories.make_service(legal_help_by=Service.LegalHelpBy.ACCREDITED_REPRESENTATIVE)
    html = client.get(service.get_absolute_url()).content.decode()
    assert "A DOJ-accredited representative" in html


def test_language_switch_links_to_the_same_page_in_the_other_language(client, sample_data):
    response = client.get("/en/hotlines/circ-hotline/")
    html = response.content.decode()
    assert re.search(r'<a href="/es/hotlines/circ-hotline/" hreflang="es" lang="es">Español</a>',
                     html)
    assert '<link rel="alternate" hreflang="es" href="http://127.0.0.1:8000/es/hotlines/' in html
    assert '<html lang="en" dir="ltr">' in html
    spanish = client.get("/es/hotlines/circ-hotline/").content.decode()
    assert '<html lang="es" dir="ltr">' in spanish
    assert '<a href="/en/hotlines/circ-hotline/" hreflang="en" lang="en">English</a>' in spanish


def test_english_fallback_text_is_marked_as_english(client, db):
    hotline = factories.make_hotline(summary_en="Only in English", summary_es="")
    spanish = client.get(f"/es/hotlines/{hotline.slug}/").content.decode()
    assert '<p class="summary" lang="en">Only in English</p>' in spanish


def test_unpublished_records_are_not_public(client, db):
    hotline = factories.make_hotline(is_published=False)
    assert client.get(hotline.get_absolute_url()).status_code == 404
    assert hotline.slug not in client.get("/sitemap.xml").content.decode()


def test_sitemap_lists_both_languages_with_alternates(client, sample_data):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://127.0.0.1:8000/en/hotlines/circ-hotline/</loc>" in xml
    assert "<loc>http://127.0.0.1:8000/es/hotlines/circ-hotline/</loc>" in xml
    assert 'hreflang="x-default"' in xml


def test_robots_txt_points_to_the_sitemap_and_away_from_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_search_finds_by_name_in_either_language_and_refuses_an_overlong_query(
    client, sample_data
):
    html = client.get("/es/search/", {"q": "deportación"}).content.decode()
    assert "/es/services/circ-deportation-proceedings-support/" in html
    response = client.get("/en/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "too long" in response.content.decode()


def test_empty_search_shows_the_hotline(client, sample_data):
    html = client.get("/en/search/", {"q": "zzzz-nothing"}).content.decode()
    assert "Nothing matched" in html
    assert "tel:+18448648341" in html


def test_healthz_answers(client, db):
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}


def test_a_long_list_counts_a_few_pages_ahead_and_every_page_stays_reachable(
        client, db, monkeypatch):
    from directory import pagination
    from directory.views import RecordListView

    monkeypatch.setattr(RecordListView, "paginate_by", 2)
    monkeypatch.setattr(pagination, "PAGES_AHEAD", 1)
    names = {factories.make_service().name for _ in range(7)}  # four pages of two

    def page(number):
        response = client.get(f"/en/services/?page={number}")
        assert response.status_code == 200
        return response.content.decode()

    first = page(1)
    assert "Page 1 of more than 2" in first  # counted two pages ahead, and found more
    seen, number, html = set(), 1, first
    while 'rel="next"' in html:
        seen |= {name for name in names if f">{name}<" in html}
        number += 1
        html = page(number)
    seen |= {name for name in names if f">{name}<" in html}
    assert (number, seen) == (4, names)
    assert "Page 4 of 4" in html
    assert "Page 3 of 4" in page(3)
    assert client.get("/en/services/?page=5").status_code == 404
    assert "Page 4 of 4" in page("last")
    assert client.get("/en/services/?page=zero").status_code == 404
    assert client.get(f"/en/services/?page={'9' * 21}").status_code == 404  # not a 500
    assert "Página 1 de más de 2" in client.get("/es/services/").content.decode()


def test_about_page_lists_its_sources_a_page_at_a_time(client, db, monkeypatch):
    from directory.views import AboutView

    monkeypatch.setattr(AboutView, "paginate_by", 2)
    titles = {factories.make_source().title for _ in range(3)}
    first, second = (client.get(f"/en/about/?page={n}").content.decode() for n in (1, 2))
    on_first = {title for title in titles if f"<li>{title}," in first}
    assert len(on_first) == 2 and "Page 1 of 2" in first
    assert {title for title in titles if f"<li>{title}," in second} == titles - on_first
