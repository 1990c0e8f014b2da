"""A frightened visitor's journeys, on a phone, against the site as production serves it.

Each journey runs in English and Spanish, with JavaScript on and off, in Chromium at
390 × 844 against gunicorn with production settings (DEBUG off, the real security headers
and Content-Security-Policy) and the sample data. It starts where a person starts — the
site's bare address, which picks the language from the browser — and follows links by
what they say, as a person reads them. On every page it reaches, nothing may scroll
sideways; by the end, nothing may have logged an error or a CSP refusal, asked any other
host for anything, answered with an error status or set a cookie.

The facts come from the sample data's sources (SAMPLE-DATA.md): the Colorado Immigrant
Rights Coalition hotline, 1-844-864-8341, option 2, last checked July 2019 (so the call
link must not pre-dial it); the Denver Immigrant Legal Services Fund; the Aurora facility,
"Denver Contract Detention Facility" in ICE's records; ICE's Online Detainee Locator
(locator.ice.gov), which needs an A-number or an exact name, with the country of birth.
"""

import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LANGUAGES = ("en", "es")
BROWSER_LOCALE = {"en": "en-US", "es": "es-US"}

# As SAMPLE-DATA.md gives them.
HOTLINE_NUMBER = "1-844-864-8341"
HOTLINE_OPTION = "2"
FACILITY_OFFICIAL_NAME = "Denver Contract Detention Facility"
LOCATOR_HOST = "locator.ice.gov"
LEGAL_FUND = "Denver Immigrant Legal Services Fund"

DIGITS = re.sub(r"\D", "", HOTLINE_NUMBER)
CALL_HREF = f"tel:+{DIGITS}"
SHOWN_NUMBER = f"({DIGITS[1:4]}) {DIGITS[4:7]}-{DIGITS[7:]}"

# What the visitor reads, in each language.
SAYS = {
    "en": {
        "hotline": "Colorado Immigrant Rights Coalition hotline",
        "call": f"Call {SHOWN_NUMBER}",
        "press": re.compile(rf"then press {HOTLINE_OPTION} — last checked on July \d+, 2019"),
        "menu": f"Press {HOTLINE_OPTION}: Report ICE activity",
        "search": "Search the directory",
        "legal_help": re.compile("^Free legal counsel"),
        "offered_by": "Given by",
        "kind": "Kind",
        "fund_kind": "Legal defense",
        "fund_pays_for": "Free legal counsel for people who face possible deportation.",
        "detained": "Someone was detained",
        "official_name": "official name:",
        "locator_step": ["A-number", "country of birth", "exact full name"],
        "facility": re.compile("detention facility in Aurora"),
        "official_name_label": "Official name",
        "find_heading": "How to find a detained person",
        "open_locator": "Open the detainee locator",
        "locator_needs": ["A-number and country of birth", "exact name and country of birth"],
        "language_nav": "Language",
        "own_name": "English",
        "rights": "Know your rights",
        "print_nav": "Print",
        "print": "Print the one-page sheet",
        "print_how": "Use your browser's Print command",
    },
    "es": {
        "hotline": "Línea de ayuda de la Colorado Immigrant Rights Coalition",
        "call": f"Llamar al {SHOWN_NUMBER}",
        "press": re.compile(
            rf"luego marque {HOTLINE_OPTION} — revisado por última vez el \d+ de julio de 2019"),
        "menu": f"Marque {HOTLINE_OPTION}: Reportar actividad de ICE",
        "search": "Buscar en el directorio",
        "legal_help": re.compile("^Asesoría legal gratis"),
        "offered_by": "Lo ofrece",
        "kind": "Tipo",
        "fund_kind": "Defensa legal",
        "fund_pays_for": "Asesoría legal gratis para personas que podrían ser deportadas.",
        "detained": "Detuvieron a alguien",
        "official_name": "nombre oficial:",
        "locator_step": ["número A", "país de nacimiento", "nombre completo"],
        "facility": re.compile("Centro de detención .* en Aurora"),
        "official_name_label": "Nombre oficial",
        "find_heading": "Cómo encontrar a una persona detenida",
        "open_locator": "Abrir el localizador de detenidos",
        "locator_needs": ["número A (A-number) y su país de nacimiento",
                          "nombre exacto y su país de nacimiento"],
        "language_nav": "Idioma",
        "own_name": "Español",
        "rights": "Conozca sus derechos",
        "print_nav": "Imprimir",
        "print": "Imprimir la hoja de una página",
        "print_how": "Use la opción Imprimir de su navegador",
    },
}


class Visitor:
    """One phone, one language, JavaScript on or off; it notes everything that goes wrong."""

    def __init__(self, page, site_url, language):
        self.page = page
        self.site = site_url
        self.language = language
        self.says = SAYS[language]
        self.other = "es" if language == "en" else "en"
        self.problems = []
        self.origin = urlsplit(site_url)[:2]
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("request", self._request)
        page.on("response", self._response)

    def _page_error(self, error):
        self.problems.append(f"page error: {error}")

    def _request(self, request):
        if urlsplit(request.url)[:2] != self.origin:
            self.problems.append(f"request to another host: {request.url}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def _console(self, message):
        # Chromium reports a CSP refusal as an error ("… violates the following Content
        # Security Policy directive …"; older versions: "Refused to …").
        if message.type == "error" or "Refused to" in message.text \
                or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def open_home(self):
        """The bare address, as typed: the browser's language picks the home page."""
        self.page.goto(self.site + "/")
        self.arrive(f"/{self.language}/")

    def arrive(self, path, *, language=None):
        """Wait for the page at `path` (a regular expression when not a plain path), in
        the visitor's language unless told, and check that it fits the phone's width."""
        if isinstance(path, str):
            self.page.wait_for_url(self.site + path)
        else:
            self.page.wait_for_url(path)
        expect(self.page.locator("html")).to_have_attribute("lang", language or self.language)
        width, viewport = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= viewport, f"{self.page.url} scrolls sideways: {width} > {viewport} px"

    def main(self):
        return self.page.get_by_role("main")

    def follow(self, name, *, within=None):
        (within or self.main()).get_by_role("link", name=name, exact=True).click()

    def assert_clean(self):
        assert self.problems == []
        assert self.page.context.cookies() == [], "a public page set a cookie"


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request):
    return request.param


@pytest.fixture
def visitor(browser, production_site, language, javascript):
    # A busy test machine (two gunicorn workers beside Chromium) can take a while.
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE,
                                  locale=BROWSER_LOCALE[language])
    context.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    try:
        yield Visitor(context.new_page(), production_site.url, language)
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default, for other modules
        context.close()


def dd_after(page, term):
    """The definition shown for a term of a definition list ("Official name" → …)."""
    return page.locator("dt", has_text=re.compile(f"^{re.escape(term)}$")).locator(
        "xpath=following-sibling::dd[1]")


def test_home_leads_to_the_hotline_its_call_link_and_the_menu_option(visitor):
    says, page = visitor.says, visitor.page
    visitor.open_home()
    visitor.follow(re.compile(re.escape(says["hotline"])))
    visitor.arrive(re.compile(rf"/{visitor.language}/hotlines/[\w-]+/$"))

    expect(page.get_by_role("heading", level=1)).to_have_text(says["hotline"])
    call = visitor.main().get_by_role("link", name=re.compile(re.escape(says["call"])))
    expect(call).to_be_visible()
    # The option was last checked in 2019: the link dials the number alone and the
    # visitor is told which digit to press.
    expect(call).to_have_attribute("href", CALL_HREF)
    expect(page.get_by_text(says["press"])).to_be_visible()
    expect(visitor.main().get_by_text(says["menu"], exact=True)).to_be_visible()
    visitor.assert_clean()


# A known gap, kept visible: strict, so the mark must go when search learns it.
@pytest.mark.parametrize(("language", "words", "words_language"), [
    ("es", "abogado gratis", "es"),
    ("en", "free lawyer", "en"),
    # A Spanish reader on a phone set to English: led to the Spanish results.
    ("en", "abogado gratis", "es"),
])
def test_a_search_for_a_free_lawyer_leads_to_legal_help_and_the_legal_fund(
        visitor, words, words_language):
    says, page = visitor.says, visitor.page
    visitor.open_home()
    box = page.get_by_role("searchbox", name=says["search"])
    box.click()
    box.press_sequentially(words)
    box.press("Enter")
    query = re.escape(words.replace(" ", "+"))
    visitor.arrive(re.compile(rf"/{visitor.language}/search/\?q={query}$"))
    expect(box).to_have_value(words)
    if words_language != visitor.language:
        visitor.follow(f"«{words}» da resultados en español: véalos")
        visitor.language, visitor.says = words_language, SAYS[words_language]
        says = visitor.says
        visitor.arrive(re.compile(rf"/{visitor.language}/search/\?q={query}$"))

    # The page has loaded: look once rather than wait for results that may never come.
    results = visitor.main().get_by_role("list").filter(
        has=page.get_by_role("link", name=says["legal_help"]))
    assert results.count() == 1, f"no legal help among the results for {words!r}"
    expect(results).to_be_visible()
    visitor.follow(says["legal_help"], within=results)
    visitor.arrive(re.compile(rf"/{visitor.language}/services/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(says["legal_help"])

    # The service is given through the fund's organization, which lists the fund.
    offered_by = dd_after(page, says["offered_by"])
    visitor.follow(LEGAL_FUND, within=offered_by)
    visitor.arrive(re.compile(rf"/{visitor.language}/organizations/[\w-]+/$"))
    visitor.follow(LEGAL_FUND)
    visitor.arrive(re.compile(rf"/{visitor.language}/legal-funds/[\w-]+/$"))

    expect(page.get_by_role("heading", level=1)).to_have_text(LEGAL_FUND)
    expect(dd_after(page, says["kind"])).to_have_text(says["fund_kind"])
    expect(visitor.main().get_by_text(says["fund_pays_for"], exact=True)).to_be_visible()
    visitor.assert_clean()


def test_someone_was_detained_leads_to_the_facility_and_ice_s_locator(visitor):
    says, page = visitor.says, visitor.page
    visitor.open_home()
    situations = page.get_by_role("navigation").filter(
        has=page.get_by_role("link", name=says["detained"], exact=True))
    visitor.follow(says["detained"], within=situations)
    visitor.arrive(re.compile(rf"/{visitor.language}/rights/#detained$"))

    # The situation: its steps say what the locator needs, and it names the facility
    # by its official name beside the locator's address.
    section = page.locator("section#detained")
    expect(section.get_by_role("heading", level=2)).to_have_text(says["detained"])
    expect(section).to_be_in_viewport()
    for needed in says["locator_step"]:
        expect(section.get_by_role("listitem").filter(has_text=needed).first).to_be_visible()
    expect(section.get_by_text(says["official_name"])).to_contain_text(FACILITY_OFFICIAL_NAME)
    locator_link = section.get_by_role("link", name=re.compile(re.escape(LOCATOR_HOST)))
    expect(locator_link).to_have_attribute("href", re.compile(rf"^https://{LOCATOR_HOST}/"))

    # The facility's own page, straight from the situation that names it.
    visitor.follow(says["facility"], within=section)
    visitor.arrive(re.compile(rf"/{visitor.language}/detention-facilities/[\w-]+/$"))

    expect(dd_after(page, says["official_name_label"])).to_have_text(FACILITY_OFFICIAL_NAME)
    find = page.locator("section").filter(
        has=page.get_by_role("heading", name=says["find_heading"]))
    for needed in says["locator_needs"]:
        expect(find).to_contain_text(needed)
    open_locator = find.get_by_role("link", name=says["open_locator"], exact=True)
    expect(open_locator).to_be_visible()
    expect(open_locator).to_have_attribute("href", re.compile(rf"^https://{LOCATOR_HOST}/"))
    expect(open_locator).to_have_attribute("rel", "noopener noreferrer")
    visitor.assert_clean()


def test_the_language_switch_keeps_the_page(visitor):
    page = visitor.page
    visitor.open_home()
    visitor.follow(visitor.says["facility"])
    visitor.arrive(re.compile(rf"/{visitor.language}/detention-facilities/[\w-]+/$"))
    here = page.url
    path = urlsplit(here).path.removeprefix(f"/{visitor.language}/")

    # There and back: each switch is named in its own language and lands on the same
    # record, in that language.
    current = visitor.language
    for target in (visitor.other, visitor.language):
        switch = page.get_by_role("navigation", name=SAYS[current]["language_nav"])
        link = switch.get_by_role("link", name=SAYS[target]["own_name"], exact=True)
        expect(link).to_have_attribute("lang", target)
        link.click()
        visitor.arrive(f"/{target}/{path}", language=target)
        says = SAYS[target]
        expect(page.get_by_role("heading", level=1)).to_have_text(says["facility"])
        expect(dd_after(page, says["official_name_label"])).to_have_text(
            FACILITY_OFFICIAL_NAME)
        expect(page.get_by_role("heading", name=says["find_heading"])).to_be_visible()
        current = target
    assert page.url == here
    visitor.assert_clean()


@pytest.fixture
def poppler():
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) is not installed")


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def pdf_text(path):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_know_your_rights_prints_on_one_page(visitor, poppler, tmp_path):
    says, page = visitor.says, visitor.page
    visitor.open_home()
    situations = page.get_by_role("navigation").filter(
        has=page.get_by_role("link", name=says["detained"], exact=True))
    visitor.follow(says["rights"], within=situations)
    visitor.arrive(f"/{visitor.language}/rights/")
    headings = page.locator("section.situation h2").all_inner_texts()
    steps = page.locator("section.situation ol > li").all_inner_texts()
    assert len(headings) == 6 and len(steps) >= 3 * len(headings)

    visitor.follow(says["print"],
                   within=page.get_by_role("navigation", name=says["print_nav"]))
    visitor.arrive(f"/{visitor.language}/rights/print/")
    expect(page.get_by_text(says["print_how"])).to_be_visible()
    screen_only = [page.locator(".site-header"), page.locator(".site-footer"),
                   page.locator(".print-links")]
    for element in screen_only:
        expect(element).to_be_visible()

    page.emulate_media(media="print")
    for element in screen_only:
        expect(element).to_be_hidden()
    sheet = page.locator(".sheet")
    expect(sheet.get_by_role("heading", level=1)).to_have_text(says["rights"])
    phone = sheet.get_by_role("link", name=says["call"], exact=True)
    expect(phone).to_be_visible()
    expect(phone).to_have_attribute("href", CALL_HREF)
    expect(sheet.get_by_text(says["press"])).to_be_visible()
    for heading in headings:
        expect(sheet.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    printed_steps = sheet.locator("ol > li")
    assert printed_steps.all_inner_texts() == steps
    for n in range(len(steps)):
        expect(printed_steps.nth(n)).to_be_visible()

    for size in ("Letter", "A4"):
        pdf = tmp_path / f"rights-{visitor.language}-{size}.pdf"
        page.pdf(path=str(pdf), format=size, print_background=True)
        assert pdf_pages(pdf) == 1, size
        text = pdf_text(pdf)
        assert SHOWN_NUMBER in text and says["rights"] in text, size
        assert steps[0] in text and headings[-1] in text, size
    visitor.assert_clean()
