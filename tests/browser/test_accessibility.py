"""Accessibility in a real browser: axe-core on every page type in both languages, the
keyboard, names, languages, the urgent banner, reduced motion and reflow.

axe-core comes from npm (`make setup-dev` runs `npm ci`); Playwright injects the file, so
nothing is fetched while the tests run. Injecting a script is what the strict CSP forbids,
so only the context that runs axe bypasses it; every other check runs under the CSP.
The axe run also writes a phone-width (390 px) screenshot of each page type, in each
language, to var/screenshots/ (git ignores var/) for a person to look at.

Each test loads the sample data once (it takes seconds) and walks many pages, so a
failure lists every page and problem at once.
"""

import pytest
from django.conf import settings

from tests.browser.conftest import PHONE
from tests.page_types import ENGLISH_ONLY_SLUG, LANGUAGES, admin_pages, populate, public_pages

pytestmark = pytest.mark.browser

AXE = settings.BASE_DIR / "node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOTS = settings.BASE_DIR / "var/screenshots"
LOCALES = {"en": "en-US", "es": "es-US"}
# What a screen reader lists as controls; each needs a name.
CONTROL_ROLES = {"link", "button", "textbox", "searchbox", "combobox", "checkbox", "radio",
                 "listbox", "menuitem", "tab", "switch", "spinbutton", "slider"}


@pytest.fixture
def site(live_server):
    """The live server with the sample data, the kinds it lacks and the 503 page's file."""
    from directory.fallback import write_fallback_pages

    populate()
    write_fallback_pages()
    return live_server.url


def every_page(language):
    """(page type, path, expected status) for every public page type in `language`."""
    for name, path in public_pages(language):
        yield name, path, 404 if name == "not-found" else 200
    # What visitors get while the database is down: the file each server keeps.
    yield "database-down", f"/{language}/hotlines/", 503


def open_page(page, url, name, language):
    """Go to a page type; the database-down page is served from its file, as in production."""
    if name != "database-down":
        return page.goto(url)
    from directory.fallback import fallback_path

    html = fallback_path(language).read_text(encoding="utf-8")
    page.route(url, lambda route: route.fulfill(status=503, body=html,
                                                content_type="text/html; charset=utf-8"))
    try:
        return page.goto(url)
    finally:
        page.unroute(url)


def axe_violations(page):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE}: run `make setup-dev` (npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""(tags) => axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""", WCAG_TAGS)
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            for violation in result["violations"]]


def unnamed_controls(page):
    """Controls in the accessibility tree (what a screen reader gets) without a name."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return [f"unnamed {node['role']['value']} (DOM node {node.get('backendDOMNodeId')})"
            for node in nodes
            if not node.get("ignored") and node.get("role", {}).get("value") in CONTROL_ROLES
            and not (node.get("name", {}).get("value") or "").strip()]


LANGUAGE_OF = "selector => document.querySelector(selector)?.closest('[lang]')?.lang"


def language_problems(page, name, language):
    """`lang` on the page, on the link to the other language, and on English fallback text."""
    problems = []
    if page.evaluate("document.documentElement.lang") != language:
        problems.append(f"<html lang> is not {language!r}")
    switch = page.evaluate(LANGUAGE_OF, ".language-switch a")
    if switch == language or (switch is None and name not in ("not-found", "database-down")):
        problems.append(f"the link to the other language says lang={switch!r}")
    if name == "service-english-fallback":
        for selector in ("main h1", "main .summary"):
            if page.evaluate(LANGUAGE_OF, selector) != "en":
                problems.append(f"the English text of {selector} is not marked lang=en")
    if name == "service-list":
        link = f"main a[href$='/{ENGLISH_ONLY_SLUG}/']"
        if page.evaluate(LANGUAGE_OF, link) != "en":
            problems.append("the English-only service's name is not marked lang=en")
    return problems


def staff_cookie(live_server_url):
    """A signed-in superuser's session cookie (second factor included), for the browser."""
    from django.contrib.auth.models import User
    from django.test import Client

    from tests.factories import login_staff

    user = User.objects.create_superuser("a11y-admin", "a11y@example.org", "not-used")
    client = login_staff(Client(), user)
    host = live_server_url.split("://", 1)[1].split(":")[0]
    return {"name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "domain": host, "path": settings.SESSION_COOKIE_PATH}


def test_axe_finds_no_violation_on_any_page_type_in_either_language(site, browser):
    """Every public page type, the 404 and 503 pages, the admin's login and the staff
    pages of issue 9 (the overdue queue, a hotline's change form, the changes waiting for
    approval), in English and Spanish: no axe-core violation of WCAG 2.2 A/AA, every
    control named, and `lang` right on the page and on text in the other language.
    The staff pages must also fit the phone's width (public pages: see the reflow test)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    cookie = staff_cookie(site)
    problems, checked = {}, {language: [] for language in LANGUAGES}
    for language in LANGUAGES:
        context = browser.new_context(viewport=PHONE, locale=LOCALES[language],
                                      bypass_csp=True)
        page = context.new_page()
        for name, path, status in every_page(language):
            response = open_page(page, site + path, name, language)
            assert response.status == status, (path, response.status)
            page.screenshot(path=SCREENSHOTS / f"{language}-{name}.png", full_page=True)
            found = (axe_violations(page) + unnamed_controls(page)
                     + language_problems(page, name, language))
            if found:
                problems[f"{language} {name} {path}"] = found
            checked[language].append(name)
        staff_pages = [("admin-login", f"/{settings.ADMIN_URL}login/"), *admin_pages()]
        for name, path in staff_pages:
            if name == "admin-index":
                context.add_cookies([cookie])
            response = page.goto(site + path)
            assert response.status == 200, (path, response.status)
            page.screenshot(path=SCREENSHOTS / f"{language}-{name}.png", full_page=True)
            found = axe_violations(page) + unnamed_controls(page)
            if not page.evaluate(FITS):
                found.append(f"wider than a phone: {page.evaluate(WIDEST)}")
            if found:
                problems[f"{language} {name} {path}"] = found
            checked[language].append(name)
        context.close()
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(found)
                                   for where, found in problems.items())
    assert len(checked["en"]) == len(checked["es"]) == len(public_pages("en")) + 1 + 1 + len(
        admin_pages())


FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {tag: element.tagName.toLowerCase(), id: element.id,
            text: element.textContent.trim().slice(0, 60),
            href: element.getAttribute('href') || '',
            index: [...document.querySelectorAll('*')].indexOf(element),
            top: box.top + scrollY, left: box.left, width: box.width,
            inView: box.bottom > 0 && box.right > 0 && box.top < innerHeight
                    && box.left < innerWidth,
            outline: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0};
}"""
TABBABLE = """() => [...document.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.getClientRects().length
                 && getComputedStyle(e).visibility !== 'hidden').length"""


def tab_through(page):
    """Press Tab from the top until focus leaves the page or comes round again."""
    tabbable = page.evaluate(TABBABLE)
    stops = []
    for _press in range(tabbable + 3):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused["index"] == stops[0]["index"]):
            return tabbable, stops, focused
        stops.append(focused)
    pytest.fail(f"Tab never left the page or came back to the top: {stops[-3:]}")


def test_the_keyboard_reaches_everything_in_reading_order_with_a_visible_focus(site, browser):
    """On the home page, in each language, under the production CSP: the first Tab is
    the skip link, visible when focused, and Enter on it moves focus to the main
    content; Tab then reaches every control once, in the order they read (down the page,
    left to right along a line), each with a focus outline at least 2 px wide, and
    leaves the page after the last one (no trap). The urgent banner is a polite status
    that never takes focus, on load or later."""
    for language in LANGUAGES:
        context = browser.new_context(viewport=PHONE, locale=LOCALES[language])
        page = context.new_page()
        page.goto(site + f"/{language}/")
        status = page.locator(".urgent-banner [role=status]")
        assert status.count() == 1, "the urgent banner has no role=status"
        assert status.get_attribute("aria-live") in (None, "polite")
        assert page.locator("[autofocus]").count() == 0
        page.wait_for_timeout(500)
        assert page.evaluate("document.activeElement === document.body"), \
            "something took focus when the page loaded"

        tabbable, stops, after_last = tab_through(page)
        assert stops[0]["href"] == "#main" and stops[0]["inView"], stops[0]
        assert len(stops) == tabbable, f"Tab reached {len(stops)} of {tabbable} controls"
        indexes = [stop["index"] for stop in stops]
        assert indexes == sorted(set(indexes)), "Tab order differs from the document order"
        for before, after in zip(stops[1:], stops[2:], strict=False):
            same_line = abs(after["top"] - before["top"]) < 4
            assert after["top"] > before["top"] - 4, \
                f"focus goes back up from {before['text']!r} to {after['text']!r}"
            assert not same_line or after["left"] > before["left"], \
                f"focus goes right to left from {before['text']!r} to {after['text']!r}"
        unringed = [stop["text"] or stop["href"] for stop in stops if stop["outline"] < 2]
        assert not unringed, f"no visible focus outline on {unringed}"
        page.keyboard.press("Tab")
        again = page.evaluate(FOCUSED)
        assert after_last is None or again is None or again["index"] == stops[0]["index"], \
            f"Tab did not leave the page after the last control: {again}"

        page.goto(site + f"/{language}/hotlines/")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('main') !== null"), \
            "the Tab after the skip link does not land inside the main content"
        context.close()


NO_MOTION = """() => [...document.querySelectorAll('*')].flatMap(e =>
    [getComputedStyle(e), getComputedStyle(e, '::before'), getComputedStyle(e, '::after')]
    .filter(s => s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
                 || s.animationName !== 'none' || s.scrollBehavior === 'smooth')
    .map(() => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')))"""
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                          + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


def test_no_page_type_scrolls_sideways_at_320px_or_200_percent_text_nor_moves(site, browser):
    """Reflow (WCAG 1.4.10) at 320 CSS px, and text at 200 % (WCAG 1.4.4) on the phone,
    on every public page type in both languages, with `prefers-reduced-motion: reduce`
    (no transition, animation or smooth scrolling anywhere then).

    200 % is the browser's own text-size setting, which is what people with low vision
    use on a phone: Chromium's default font size goes from 16 px to 32 px through the
    DevTools protocol (Page.setFontSizes, the setting behind chrome://settings/fonts),
    so every rem and em doubles and rem media queries react as they would for that
    person, at the 390 px phone width. Playwright's device_scale_factor only adds
    pixels, and a narrower viewport would shrink the screen rather than enlarge the
    text, so neither stands in for it.
    """
    problems = {}
    for language in LANGUAGES:
        for label, width in (("320 px", 320), ("200 % text", PHONE["width"])):
            context = browser.new_context(viewport={"width": width, "height": 640},
                                          locale=LOCALES[language], reduced_motion="reduce")
            page = context.new_page()
            if label == "200 % text":
                session = context.new_cdp_session(page)
                session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
            for name, path, _status in every_page(language):
                open_page(page, site + path, name, language)
                if label == "200 % text":
                    root = page.evaluate("getComputedStyle(document.documentElement).fontSize")
                    assert root == "32px", f"text is not at 200 % on {name}: {root}"
                if not page.evaluate(FITS):
                    problems[f"{language} {name} at {label}"] = (
                        f"wider than the screen: {page.evaluate(WIDEST)}")
                moving = page.evaluate(NO_MOTION)
                if moving:
                    problems[f"{language} {name}, reduced motion"] = f"moves: {moving[:5]}"
            context.close()
    assert not problems, "\n".join(f"{where}: {what}" for where, what in problems.items())
