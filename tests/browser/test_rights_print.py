"""Know your rights on paper: Chromium prints every layout to PDF, poppler reads it back.

A sheet must fit ONE page of US Letter and of A4, keep every heading, every step and the
current numbers, never print under 8 pt (6 pt on the cut-out cards), never print an urgent
banner, and carry a QR code that a real decoder reads as the page's permanent address.
"""

import datetime
import io
import re
import shutil
import subprocess
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from alerts.models import Notice
from directory.models import DetentionFacility, Hotline, LegalFund, Policy, RightsSection
from tests import factories

pytestmark = pytest.mark.browser

SITE = "https://amparo.example.org"
SHEETS = {"print": "rights/print/", "bilingual": "rights/print/both-languages/"}
CARDS = "rights/cards/"
WORKSHEET = "rights/family-plan/"
LAYOUTS = {"rights": "rights/", **SHEETS, "cards": CARDS, "worksheet": WORKSHEET}
SIZES = ("Letter", "A4")
LANGUAGES = ("en", "es")
HEADED = (*RightsSection.SITUATIONS, RightsSection.Topic.GENERAL, RightsSection.Topic.NOTARIO)
SAMPLE_OPTION_CHECKED = datetime.date(2019, 7, 11)
PT = 96 / 72  # CSS pixels per point
MM = 96 / 25.4  # CSS pixels per millimetre

# The smallest font size of any element that shows text of its own, as printed.
SMALLEST_FONT = """() => {
  let smallest = Infinity, where = "";
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest("svg")) continue;
    const ownText = [...element.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    if (!ownText || !element.checkVisibility({visibilityProperty: true, opacityProperty: true}))
      continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < smallest) {
      smallest = size;
      where = `${element.tagName}.${element.className}: ${element.textContent.trim().slice(0, 40)}`;
    }
  }
  return [smallest, where];
}"""


@pytest.fixture
def poppler():
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) is not installed")


@pytest.fixture
def site(live_server, settings, poppler):
    """The sample directory behind a live server whose permanent address is SITE.

    The know-your-rights text comes from a data migration, which an earlier live-server
    test's flush has removed: seed it again (the seed never touches an existing section).
    """
    settings.SITE_URL = SITE
    seed = import_module("directory.migrations.0003_seed_rights_content").seed_rights_content
    seed(apps, None)
    assert RightsSection.objects.count() == len(RightsSection.Topic)
    call_command("load_sample_data", verbosity=0)
    return live_server


@pytest.fixture
def desk(browser):
    """A desktop window: printing does not depend on it, the QR screenshot does."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, device_scale_factor=3)
    page = context.new_page()
    yield page
    context.close()


def stretch(words, start, length=150):
    """A plausible step of at most `length` characters, made of the section's own words."""
    step = ""
    while True:
        word = words[start % len(words)]
        start += 1
        if len(step) + len(word) + 2 > length:
            return step.rstrip(".,:;") + "."
        step = f"{step} {word}".lstrip()


@pytest.fixture
def stress(site):
    """Everything at its longest plausible length, in both languages."""
    for section in RightsSection.objects.filter(topic__in=HEADED):
        for language in LANGUAGES:
            words = getattr(section, f"steps_{language}").split()
            steps = [stretch(words, 9 * n) for n in range(5)]
            assert all(130 <= len(step) <= 150 for step in steps), steps
            setattr(section, f"steps_{language}", "\n".join(steps))
        section.save()
    today = timezone.localdate()
    for n, (purpose_en, purpose_es) in enumerate([
        ("Free legal help for families", "Ayuda legal gratis para familias"),
        ("Find a family member who was detained", "Encontrar a un familiar detenido"),
    ]):
        hotline = factories.make_hotline(
            phone=f"+1720555014{n}", is_on_rights_page=True, purpose_en=purpose_en,
            purpose_es=purpose_es, name_en=f"Rapid response network line {n + 2}",
            name_es=f"Línea de la red de respuesta rápida {n + 2}")
        factories.make_menu_option(hotline=hotline, digits=str(n + 3), purpose_en=purpose_en,
                                   purpose_es=purpose_es, last_checked_on=today)
    assert Hotline.objects.published().filter(is_on_rights_page=True).count() == 3
    assert Policy.objects.published().update(last_verified_on=today) >= 4
    return site


def url(site, language, path):
    return f"{site.url}/{language}/{path}"


def print_pdf(page, address, size, tmp_path):
    page.goto(address)
    name = re.sub(r"\W+", "-", address.split("//", 1)[1])
    path = tmp_path / f"{name}-{size}.pdf"
    page.pdf(path=str(path), format=size, print_background=True)
    return path


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def pdf_text(path):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def smallest_font(page):
    page.emulate_media(media="print")
    try:
        return page.evaluate(SMALLEST_FONT)
    finally:
        page.emulate_media(media="null")


def say(language, text, **values):
    with translation.override(language):
        return " ".join((gettext(text) % values).split())


def long_date(day, language):
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


def sheet_must_say(language, *, sheet_languages=None):
    """Every heading, the hotline and its menu option, and the date printed."""
    wanted = [say(language, "Printed on %(date)s.",
                  date=long_date(timezone.localdate(), language)),
              "(844) 864-8341"]
    for text_language in sheet_languages or [language]:
        with translation.override(text_language):
            titles = [section.title for section in RightsSection.objects.filter(
                topic__in=HEADED)]
        assert len(titles) == len(HEADED)
        wanted += titles
        wanted += [say(text_language, "What local agencies have said"),
                   say(text_language, "then press %(digits)s — last checked on %(date)s",
                       digits="2", date=long_date(SAMPLE_OPTION_CHECKED, text_language))]
    return wanted


def flat(text):
    """Text without its spaces and hyphens: pdftotext joins a word broken after "I-" or
    "DOJ-" at the end of a line as "I200" or "DOJaccredited"."""
    return "".join(text.split()).replace("-", "")


def missing_steps(text, sheet_languages):
    """Every step of every headed section, in each language, as printed (line breaks aside)."""
    printed = flat(text)
    missing = []
    for section in RightsSection.objects.filter(topic__in=HEADED):
        for language in sheet_languages:
            for step in getattr(section, f"steps_{language}").splitlines():
                if step.strip() and flat(step) not in printed:
                    missing.append((section.topic, language, step[:40]))
    return missing


def check_sheet(page, site, layout, language, tmp_path):
    """One page of each size with every heading, step and number; no type under 8 pt.

    Returns the text of each size's PDF.
    """
    address = url(site, language, SHEETS[layout])
    sheet_languages = LANGUAGES if layout == "bilingual" else None
    texts = []
    for size in SIZES:
        pdf = print_pdf(page, address, size, tmp_path)
        assert pdf_pages(pdf) == 1, (layout, language, size)
        text = pdf_text(pdf)
        missing = [wanted for wanted in sheet_must_say(language, sheet_languages=sheet_languages)
                   if wanted not in text]
        assert missing == [], (layout, language, size)
        assert missing_steps(text, sheet_languages or [language]) == [], (layout, language, size)
        texts.append(text)
    size, where = smallest_font(page)
    assert size >= 8 * PT - 0.01, f"{size / PT:.2f} pt at {where}"
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("layout", SHEETS)
def test_each_sheet_prints_on_one_page_of_letter_and_a4(site, desk, tmp_path, layout, language):
    check_sheet(desk, site, layout, language, tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_one_language_sheet_still_fits_when_everything_is_at_its_longest(
        stress, desk, tmp_path, language):
    for text in check_sheet(desk, stress, "print", language, tmp_path):
        for n in (3, 4):
            assert say(language, "then press %(digits)s — last checked on %(date)s",
                       digits=str(n), date=long_date(timezone.localdate(), language)) in text
        assert text.count(say(language, "Statement of %(date)s — not a law.",
                              date=long_date(datetime.date(2019, 7, 11), language))) >= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bilingual_sheet_at_its_longest_keeps_8pt_and_every_word_on_one_page(
        stress, desk, tmp_path, language):
    # Twice the stress text is about 12,000 characters: only the staff's text is printed in
    # both languages, the numbers, names and dates once, and the sections run on.
    official = DetentionFacility.objects.published().get().official_name
    fund = LegalFund.objects.published().get().name
    for text in check_sheet(desk, stress, "bilingual", language, tmp_path):
        for text_language in LANGUAGES:
            for n in (3, 4):
                assert say(text_language, "then press %(digits)s — last checked on %(date)s",
                           digits=str(n),
                           date=long_date(timezone.localdate(), text_language)) in text
        for once in (official, fund, "(844) 864-8341", "(720) 555-0140", "(720) 555-0141"):
            assert text.count(once) == 1, once
        assert text.count(say(language, "Statement of %(date)s — not a law.",
                              date=long_date(datetime.date(2019, 7, 11), language))) >= 2


def check_cards(page, site, language, tmp_path):
    address = url(site, language, CARDS)
    for size in SIZES:
        pdf = print_pdf(page, address, size, tmp_path)
        assert pdf_pages(pdf) == 1, size
        text = pdf_text(pdf)
        assert "(844) 864-8341" in text
        assert say(language, "Check current notices at %(url)s",
                   url=f"{SITE}/{language}/notices/") in text
    assert page.locator(".wallet-card").count() >= 8
    size, where = smallest_font(page)
    assert size >= 6 * PT - 0.01, f"{size / PT:.2f} pt at {where}"
    page.emulate_media(media="print")
    cards = page.evaluate("""() => [...document.querySelectorAll(".wallet-card")].map((card) => {
        const box = card.getBoundingClientRect();
        const clipped = [...card.querySelectorAll(".card-side")].some(
          (side) => side.scrollHeight > side.clientHeight + 1);
        const agent = card.querySelector(".card-side:last-child").getAttribute("lang");
        return [box.width, box.height, clipped, agent];
    })""")
    page.emulate_media(media="null")
    for width, height, clipped, agent in cards:
        assert abs(width - 88.9 * MM) < 2 and abs(height - 50.8 * MM) < 2, (width, height)
        assert not clipped
        assert agent == "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_wallet_card_sheet_holds_ten_business_cards_on_one_page(
        site, desk, tmp_path, language):
    check_cards(desk, site, language, tmp_path)


def test_the_wallet_cards_still_fit_with_three_hotlines(stress, desk, tmp_path):
    for language in LANGUAGES:
        check_cards(desk, stress, language, tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_family_plan_worksheet_prints_on_one_page(site, desk, tmp_path, language):
    for size in SIZES:
        pdf = print_pdf(desk, url(site, language, WORKSHEET), size, tmp_path)
        assert pdf_pages(pdf) == 1, size
        assert "(844) 864-8341" in pdf_text(pdf)
    size, where = smallest_font(desk)
    assert size >= 8 * PT - 0.01, f"{size / PT:.2f} pt at {where}"


def test_the_family_plan_worksheet_still_fits_with_three_hotlines(stress, desk, tmp_path):
    for language in LANGUAGES:
        for size in SIZES:
            pdf = print_pdf(desk, url(stress, language, WORKSHEET), size, tmp_path)
            assert pdf_pages(pdf) == 1, (language, size)
            assert "(720) 555-0141" in pdf_text(pdf)


@pytest.mark.parametrize(("layout", "language"), [
    ("print", "en"), ("print", "es"), ("bilingual", "en"), ("worksheet", "es"),
])
def test_a_real_decoder_reads_the_qr_code_as_the_permanent_address(site, desk, layout, language):
    import zxingcpp
    from PIL import Image, ImageOps

    desk.goto(url(site, language, LAYOUTS[layout]))
    shot = Image.open(io.BytesIO(desk.locator(".qr svg").screenshot()))
    assert min(shot.size) >= 250, "a screenshot big enough to decode"
    # White space around the code, as on paper.
    shot = ImageOps.expand(shot.convert("L"), border=40, fill=255)
    results = zxingcpp.read_barcodes(shot)
    assert [(result.format, result.text) for result in results] == [
        (zxingcpp.BarcodeFormat.QRCode, f"{SITE}/{language}/rights/")]


def test_a_new_hotline_number_is_on_the_next_printout(site, desk, tmp_path):
    address = url(site, "en", SHEETS["print"])
    assert "(844) 864-8341" in pdf_text(print_pdf(desk, address, "Letter", tmp_path))
    hotline = Hotline.objects.get(slug="circ-hotline")
    hotline.phone = "+17205550123"
    hotline.save()
    text = pdf_text(print_pdf(desk, address, "Letter", tmp_path))
    assert "(720) 555-0123" in text
    assert "(844) 864-8341" not in text


def test_an_urgent_notice_is_on_screen_but_never_on_paper(site, desk, tmp_path):
    # Published as the emergency path leaves it (staff groups are gone after a flush).
    now = timezone.now()
    factories.make_notice(severity=Notice.Severity.URGENT, status=Notice.Status.PUBLISHED,
                          publish_at=now - datetime.timedelta(minutes=5),
                          expires_at=now + datetime.timedelta(hours=24),
                          confirmed_by=factories.make_organization(), confirmed_at=now,
                          title_en="Checkpoint reported on Colfax",
                          title_es="Retén reportado en Colfax")
    assert Notice.objects.public().urgent().count() == 1
    for layout in ("print", "bilingual", "cards", "worksheet"):
        desk.goto(url(site, "en", LAYOUTS[layout]))
        banner = desk.locator(".urgent-banner")
        assert banner.is_visible()
        desk.emulate_media(media="print")
        assert not banner.is_visible()
        desk.emulate_media(media="null")
        text = pdf_text(print_pdf(desk, url(site, "en", LAYOUTS[layout]), "Letter", tmp_path))
        assert "Checkpoint reported" not in text
        assert f"Check current notices at {SITE}/en/notices/" in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_on_a_phone_and_shows_its_print_links(site, phone_page, layout):
    phone_page.goto(url(site, "es", LAYOUTS[layout]))
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    links = phone_page.locator(".print-links")
    assert links.is_visible()
    assert links.locator(f'a[href="/es/{CARDS}"]').is_visible()
    phone_page.emulate_media(media="print")
    assert not links.is_visible()
