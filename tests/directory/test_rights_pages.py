"""Know your rights: the screen page and the print layouts drawn from the same data."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from alerts.models import Notice
from directory.models import DetentionFacility, Hotline, Policy, RightsReview, RightsSection
from tests import factories
from tests.sitecheck import crawl

SITE = "https://amparo.example.org"
LAYOUTS = {
    "rights": "rights/",
    "print": "rights/print/",
    "bilingual": "rights/print/both-languages/",
    "cards": "rights/cards/",
    "worksheet": "rights/family-plan/",
}
PRINTED = ("print", "bilingual", "cards", "worksheet")
WITH_REVIEW = ("rights", "print", "bilingual", "worksheet")
LANGUAGES = ("en", "es")
CSS = settings.BASE_DIR / "static" / "css" / "site.css"


@pytest.fixture
def sample_data(db, settings):
    settings.SITE_URL = SITE
    call_command("load_sample_data", verbosity=0)


def page(client, layout, language="en"):
    response = client.get(f"/{language}/{LAYOUTS[layout]}")
    assert response.status_code == 200
    return response.content.decode()


def in_language(language, text, **values):
    with translation.override(language):
        return gettext(text) % values


def long_date(day, language="en"):
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


def print_rules():
    """(selectors, declarations) of every rule inside an `@media print` block of site.css."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    rules = []
    for start in re.finditer(r"@media\s+print\s*\{", css):
        depth, end = 1, start.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        block = css[start.end():end - 1]
        rules += [([selector.strip() for selector in selectors.split(",")], body)
                  for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block)]
    return rules


def hidden_in_print(class_name):
    return any(f".{class_name}" in selectors and re.search(r"display:\s*none", body)
               for selectors, body in print_rules())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_answers_in_both_languages_without_script_or_inline_style(
        client, sample_data, layout, language):
    html = page(client, layout, language)
    assert f'<html lang="{language}"' in html
    assert "<script" not in html
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_links_to_every_print_layout(client, sample_data, layout):
    html = page(client, layout)
    nav = html[html.index('<nav class="print-links'):]
    nav = nav[:nav.index("</nav>")]
    for other in PRINTED:
        assert f'href="/en/{LAYOUTS[other]}"' in nav
    assert "Print" in nav
    assert hidden_in_print("screen-only") and "screen-only" in nav.split(">")[0]


@pytest.mark.parametrize("layout", WITH_REVIEW)
def test_without_a_review_the_text_says_a_lawyer_has_not_reviewed_it(client, sample_data, layout):
    assert "Not yet reviewed by a lawyer." in page(client, layout)


@pytest.mark.parametrize("layout", WITH_REVIEW)
def test_a_fresh_review_names_the_reviewer_and_the_date(client, sample_data, layout):
    reviewed_on = timezone.localdate() - datetime.timedelta(days=20)
    reviewer = factories.make_organization(name_en="Legal Aid Lawyers of Denver")
    RightsReview.objects.create(reviewed_by=reviewer, reviewed_on=reviewed_on)
    html = page(client, layout)
    assert f"Reviewed by Legal Aid Lawyers of Denver on {long_date(reviewed_on)}." in html
    assert "Not yet reviewed by a lawyer." not in html
    assert "more than six months ago" not in html


@pytest.mark.parametrize("layout", WITH_REVIEW)
def test_an_old_review_says_it_is_old(client, sample_data, layout):
    reviewed_on = timezone.localdate() - datetime.timedelta(days=200)
    reviewer = factories.make_organization(name_en="Legal Aid Lawyers of Denver")
    RightsReview.objects.create(reviewed_by=reviewer, reviewed_on=reviewed_on)
    assert (f"Reviewed by Legal Aid Lawyers of Denver on {long_date(reviewed_on)} — more than "
            "six months ago.") in page(client, layout)


@pytest.mark.parametrize("layout", ["rights", "print", "bilingual"])
def test_only_statements_checked_in_the_last_180_days_are_listed(client, sample_data, layout):
    today = timezone.localdate()
    assert not Policy.objects.filter(
        last_verified_on__gte=today - datetime.timedelta(days=180)).exists()
    html = page(client, layout)
    assert "No local statement has been checked in the last six months." in html
    assert "Denver Police: no part in ICE raids" not in html
    factories.make_policy(name_en="Old statement", summary_en="Said long ago.",
                          last_verified_on=today - datetime.timedelta(days=181))
    factories.make_policy(name_en="Recent statement", summary_en="Said and checked.",
                          stated_on=datetime.date(2019, 7, 11),
                          last_verified_on=today - datetime.timedelta(days=10))
    html = page(client, layout)
    assert "Old statement" not in html and "Said long ago." not in html
    assert "Recent statement" in html or "Said and checked." in html
    assert "Statement of July 11, 2019 — not a law." in html
    checked = f"Checked on {long_date(today - datetime.timedelta(days=10))}."
    # The bilingual sheet has no room for the date each statement was checked: it lists
    # only statements checked in the last six months, and keeps each statement's own date.
    assert (checked in html) is (layout != "bilingual")
    assert "No local statement has been checked" not in html


def test_the_bilingual_sheet_has_both_languages_side_by_side(client, sample_data):
    for language in LANGUAGES:
        html = page(client, "bilingual", language)
        assert '<div class="sheet-language" lang="en">' in html
        assert '<div class="sheet-language" lang="es">' in html
        for section in RightsSection.objects.filter(topic__in=RightsSection.SITUATIONS):
            assert section.title_en in html and section.title_es in html
        assert html.index("Agents are at my door") < html.index("Hay agentes en mi puerta")


def sheet_part(html, start, end):
    part = html[html.index(start):]
    return part[:part.index(end)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bilingual_sheet_prints_what_reads_the_same_in_both_languages_once(
        client, sample_data, language):
    today = timezone.localdate()
    factories.make_policy(name_en="Recent statement", name_es="Declaración reciente",
                          stated_on=datetime.date(2019, 7, 11), last_verified_on=today)
    html = page(client, "bilingual", language)
    sheet = sheet_part(html, '<article class="sheet sheet-bilingual', "</article>")
    facility = DetentionFacility.objects.published().get()
    for once in (facility.official_name, f">{facility.locator_url}</a>", "(844) 864-8341",
                 in_language(language, "Statement of %(date)s — not a law.",
                             date=long_date(datetime.date(2019, 7, 11), language))):
        assert sheet.count(once) == 1, once
    # The columns hold only the staff's text, one language each.
    for code in LANGUAGES:
        column = sheet_part(sheet, f'<div class="sheet-language" lang="{code}">', "</div>")
        assert facility.official_name not in column
        assert "rights-policies" not in column and "rights-review" not in column
    # The shared facts are labelled in both languages.
    shared = sheet_part(sheet, '<footer class="sheet-shared">', "</footer>")
    for topic in (RightsSection.Topic.DETAINED, RightsSection.Topic.LAWYER):
        section = RightsSection.objects.get(topic=topic)
        assert section.title_en in shared and section.title_es in shared
    for code in LANGUAGES:
        assert in_language(code, "What local agencies have said") in shared
    assert sheet.count('class="rights-review"') == 1


def test_the_bilingual_sheet_runs_its_sections_on_only_when_the_text_is_long(
        client, sample_data):
    assert "sheet-run-on" not in page(client, "bilingual")
    section = RightsSection.objects.get(topic=RightsSection.Topic.DOOR)
    section.steps_es = "\n".join(["Un paso largo de una sección muy larga, " * 3] * 40)
    section.save()
    for language in LANGUAGES:
        assert 'class="sheet sheet-bilingual sheet-run-on"' in page(client, "bilingual",
                                                                    language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("layout", PRINTED)
def test_print_layouts_give_the_permanent_address_and_where_to_check_notices(
        client, sample_data, layout, language):
    html = page(client, layout, language)
    permanent = f"{SITE}/{language}/rights/"
    notices = in_language(language, "Check current notices at %(url)s",
                          url=f"{SITE}/{language}/notices/")
    printed = in_language(language, "Printed on %(date)s.",
                          date=long_date(timezone.localdate(), language))
    assert permanent in html
    assert notices in html
    assert printed in html


@pytest.mark.parametrize("layout", ["print", "bilingual", "worksheet"])
def test_the_qr_code_is_drawn_on_the_server_for_the_permanent_address(client, sample_data,
                                                                      layout):
    html = page(client, layout)
    svg = re.search(r'<div class="qr"><svg [^>]*role="img"[^>]*>(.*?)</svg>', html, re.S)
    assert svg, "an inline SVG QR code"
    assert f"<title>{SITE}/en/rights/</title>" in svg.group(1)
    assert "?" not in f"{SITE}/en/rights/"


def test_the_sheets_print_the_hotlines_of_the_rights_page_with_their_menu_option(
        client, sample_data):
    html = page(client, "print")
    assert "(844) 864-8341" in html
    assert "then press 2 — last checked on July 11, 2019" in html
    spanish = page(client, "print", "es")
    assert "luego marque 2 — revisado por última vez el 11 de julio de 2019" in spanish
    hotline = Hotline.objects.get(slug="circ-hotline")
    hotline.phone = "+17205550123"
    hotline.save()
    for layout in PRINTED:
        html = page(client, layout)
        assert "(720) 555-0123" in html
        assert "(844) 864-8341" not in html


def test_wallet_cards_have_a_visitor_side_and_an_english_side_for_an_agent(client, sample_data):
    html = page(client, "cards", "es")
    assert html.count('<div class="wallet-card">') >= 8
    agent = RightsSection.objects.get(topic=RightsSection.Topic.CARD_AGENT)
    visitor = RightsSection.objects.get(topic=RightsSection.Topic.CARD)
    assert html.count('<div class="card-side card-agent" lang="en">') == html.count(
        '<div class="wallet-card">')
    assert agent.title_en in html
    assert visitor.title_es in html
    assert "(844) 864-8341" in html


def test_the_one_language_sheet_takes_smaller_type_only_for_long_texts(client, sample_data):
    assert "sheet-long" not in page(client, "print")
    for n in range(2):
        factories.make_menu_option(hotline=factories.make_hotline(
            is_on_rights_page=True, phone=f"+1303555010{n}"))
    assert 'class="sheet sheet-single sheet-long"' in page(client, "print")


def test_an_urgent_notice_shows_on_the_screen_page_and_is_hidden_in_print(client, sample_data):
    factories.make_public_notice(severity=Notice.Severity.URGENT, title_en="Checkpoint reported",
                                 title_es="Retén reportado")
    screen = page(client, "rights")
    assert '<aside class="urgent-banner"' in screen
    assert "Checkpoint reported" in screen
    for layout in PRINTED:
        html = page(client, layout)
        banner = re.search(r'<aside class="([^"]*)"[^>]*>.*?</aside>', html, re.S)
        assert banner and "Checkpoint reported" in banner.group(0)
        assert "urgent-banner" in banner.group(1).split()
        assert "Checkpoint reported" not in html[html.index('<main'):]
    assert hidden_in_print("urgent-banner")


def test_print_css_hides_the_site_around_the_sheet_and_sets_the_page():
    for class_name in ("site-header", "site-footer", "urgent-banner", "screen-only", "skip"):
        assert hidden_in_print(class_name), class_name
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{\s*size:\s*auto;\s*margin:\s*10mm;\s*\}", css)
    # Only the bilingual sheet takes the narrower margins it needs.
    assert re.search(r"@page\s+bilingual\s*\{\s*margin:\s*8mm;\s*\}", css)
    assert [selectors for selectors, body in print_rules()
            if re.search(r"\bpage:\s*bilingual", body)] == [[".sheet-bilingual"]]


def test_site_wide_check_passes_on_every_rights_page(client, sample_data):
    pages = crawl(client)
    expected = {f"/{language}/{path}" for language in LANGUAGES for path in LAYOUTS.values()}
    assert expected <= set(pages)
    rights_pages = {path: found for path, (_response, found) in pages.items()
                    if "/rights/" in path}
    assert set(rights_pages) == expected
    assert {path: found for path, found in rights_pages.items() if found} == {}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_costs_the_same_queries_whatever_the_number_of_records(
        client, sample_data, layout):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as context:
            page(client, layout, "es")
        return len(context)

    before = queries()
    today = timezone.localdate()
    for n in range(3):
        hotline = factories.make_hotline(is_on_rights_page=True, phone=f"+1303555020{n}")
        factories.make_menu_option(hotline=hotline, last_checked_on=today)
        factories.make_policy(last_verified_on=today)
    Policy.objects.update(last_verified_on=today)
    assert queries() == before
