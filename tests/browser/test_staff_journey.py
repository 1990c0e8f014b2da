"""The staff journey in Chromium against the site served with production settings.

Security headers and the Content-Security-Policy stay on: a CSRF check broken by the
referrer policy, or an admin script blocked by the CSP, fails this journey. Every page
any staff member or the visitor opens is watched for console errors, CSP refusals,
uncaught script errors and error answers from the site.

One test, in the order a team works: publisher signs in with the second factor → adds
a hotline (a bad number refused, a good one saved) → an editor drafts a notice about
it and cannot publish it → the publisher confirms it and asks to publish it as urgent →
a second publisher approves it from a phone → visitors see it on the home page and the
hotline's page in both languages → the publisher marks it found false and the
correction shows where it was → the correction is withdrawn and nothing is current.
"""

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, STAFF_PASSWORD

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
ADMIN = "/admin/"
# The organization staff name as the one that confirmed the report (sample data).
CONFIRMING_ORGANIZATION = "Colorado Immigrant Rights Coalition"
# django-otp refuses every code for a device for 1 second after a wrong one.
OTP_THROTTLE_SECONDS = 1.2


class Watcher:
    """Collects what would tell a person (or a developer) that something broke."""

    def __init__(self, site_url):
        self.site_url = site_url
        self.problems = []
        self.contexts = []

    def watch(self, page, who):
        page.on("console", lambda message: self._console(who, message))
        page.on("pageerror", lambda error: self.problems.append(f"{who}: script error {error}"))
        page.on("response", lambda response: self._response(who, response))
        return page

    def _console(self, who, message):
        where = message.location.get("url", "")
        if message.type == "error" or "Refused to" in message.text:
            self.problems.append(f"{who}: console {message.type}: {message.text} ({where})")

    def _response(self, who, response):
        if response.url.startswith(self.site_url) and response.status >= 400:
            self.problems.append(f"{who}: {response.status} from {response.url}")

    def assert_clean(self, step):
        assert not self.problems, f"{step}: " + "\n".join(self.problems)


def new_page(browser, watcher, who, viewport, locale="en-US"):
    """A person's own browser window (its own cookies), closed when the test ends."""
    context = browser.new_context(viewport=viewport, locale=locale,
                                  base_url=watcher.site_url)
    watcher.contexts.append(context)
    return watcher.watch(context.new_page(), who)


def submit(page, button):
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def messages(page, level):
    return page.locator(f"ul.messagelist li.{level}")


def sign_in(page, username, code=None):
    page.goto(ADMIN)
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    if code is not None:
        page.locator("input[name=otp_token]").fill(code)
    submit(page, page.get_by_role("button", name="Log in"))


def choose_in_autocomplete(page, field, search, option_text):
    """Pick a related record through the admin's select2 autocomplete (admin JS + AJAX)."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    option = page.locator(".select2-results__option", has_text=option_text)
    option.first.click()
    expect(page.locator(f".field-{field} .select2-selection")).to_contain_text(option_text)


def run_action(page, title, action_label):
    """Tick one notice on the notice list, choose an action and run it."""
    page.goto(f"{ADMIN}alerts/notice/")
    row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=title,
                                                                     exact=True))
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action_label)
    submit(page, page.get_by_role("button", name="Run"))
    return page


def notice_titles(page):
    return [text.strip() for text in page.locator(".notice-title").all_inner_texts()]


def test_staff_publish_a_notice_about_a_new_hotline_and_correct_it(browser, production_site):
    started = time.monotonic()
    site = production_site.url
    watcher = Watcher(site)
    suffix = uuid.uuid4().hex[:8]
    hotline_en, hotline_es = f"Journey line {suffix}", f"Línea del recorrido {suffix}"
    slug = f"journey-line-{suffix}"
    title_en = f"Checkpoint reported on the east side ({suffix})"
    title_es = f"Retén reportado en el lado este ({suffix})"
    try:
        _journey(browser, production_site, watcher, suffix=suffix,
                 hotline_en=hotline_en, hotline_es=hotline_es, slug=slug,
                 title_en=title_en, title_es=title_es)
    finally:
        for context in watcher.contexts:
            context.close()
        _tidy_up(production_site, suffix)
    print(f"staff journey took {time.monotonic() - started:.1f} s")


def _journey(browser, production_site, watcher, *, suffix, hotline_en, hotline_es, slug,
             title_en, title_es):
    # 1. The publisher signs in: the password alone or a wrong code is refused.
    publisher = new_page(browser, watcher, "publisher", LAPTOP)
    login = publisher.goto(ADMIN)
    assert login.headers["referrer-policy"] == "same-origin"
    assert "script-src 'self' 'nonce-" in publisher.goto(f"{ADMIN}login/").headers[
        "content-security-policy"]
    # The code field is on the form, and takes letters too: recovery codes have them.
    code_field = publisher.get_by_label("Code from your authenticator app or a recovery code")
    expect(code_field).to_be_visible()
    expect(code_field).not_to_have_attribute("inputmode", "numeric")
    sign_in(publisher, "publisher")
    expect(publisher.locator(".errornote")).to_contain_text("That code is not right")
    wrong = f"{(int(production_site.totp('publisher')) + 1) % 1_000_000:06d}"
    sign_in(publisher, "publisher", wrong)
    refused_at = time.monotonic()
    expect(publisher.locator(".errornote")).to_contain_text(
        "That code is not right or has expired")
    expect(publisher).to_have_url(re.compile(r"/admin/login/"))

    editor = new_page(browser, watcher, "editor", LAPTOP)
    sign_in(editor, "editor")
    expect(editor.locator("#site-name")).to_contain_text("Amparo staff")

    # A person types the new code after the refusal; the device ignores codes for a second.
    remaining = OTP_THROTTLE_SECONDS - (time.monotonic() - refused_at)
    if remaining > 0:
        publisher.wait_for_timeout(remaining * 1000)
    sign_in(publisher, "publisher", production_site.totp("publisher"))
    expect(publisher.locator("#site-name")).to_contain_text("Amparo staff")
    expect(publisher.get_by_role("link", name="Hotlines", exact=True)).to_be_visible()
    watcher.assert_clean("signing in")

    # 2. A hotline: a bad number is refused next to the field and nothing is saved.
    publisher.goto(f"{ADMIN}directory/hotline/add/")
    publisher.locator("#id_name_en").press_sequentially(hotline_en)
    # The slug is filled in by the admin's own script, which the CSP must let run.
    expect(publisher.locator("#id_slug")).to_have_value(slug)
    publisher.locator("#id_name_es").fill(hotline_es)
    publisher.locator("#id_purpose_en").fill("Report a checkpoint")
    publisher.locator("#id_purpose_es").fill("Reportar un retén")
    choose_in_autocomplete(publisher, "organization", "Colorado Immigrant",
                           CONFIRMING_ORGANIZATION)
    publisher.locator("#id_phone").fill("555-12")
    submit(publisher, publisher.locator("input[name=_save]"))
    expect(publisher.locator(".errornote")).to_be_visible()
    phone_error = publisher.locator(".field-phone .errorlist")
    expect(phone_error).to_contain_text("Enter a valid phone number")
    expect(publisher.locator("#id_phone")).to_have_attribute(
        "aria-describedby", re.compile("id_phone_error"))
    publisher.goto(f"{ADMIN}directory/hotline/?q={suffix}")
    expect(publisher.locator("#changelist")).to_contain_text("0 hotlines")

    publisher.goto(f"{ADMIN}directory/hotline/add/")
    publisher.locator("#id_name_en").fill(hotline_en)
    publisher.locator("#id_name_es").fill(hotline_es)
    publisher.locator("#id_purpose_en").fill("Report a checkpoint")
    publisher.locator("#id_purpose_es").fill("Reportar un retén")
    choose_in_autocomplete(publisher, "organization", "Colorado Immigrant",
                           CONFIRMING_ORGANIZATION)
    publisher.locator("#id_phone").fill("720-555-0134")
    submit(publisher, publisher.locator("input[name=_save]"))
    expect(messages(publisher, "success")).to_contain_text(
        f"The hotline “{hotline_en}” was added successfully")
    # A new number waits for a second person, and the hotline out of public view with it.
    expect(messages(publisher, "warning")).to_contain_text(
        f"“{hotline_en}” stays out of public view until a second person approves its phone")
    publisher.goto(f"{ADMIN}directory/pendingchange/")
    expect(publisher.locator("#content-main")).to_contain_text(hotline_en)
    expect(publisher.locator("#content-main")).to_contain_text("+17205550134")
    watcher.assert_clean("adding the hotline")

    # 3. The editor drafts a notice about the hotline and is offered no way to publish it.
    editor.goto(f"{ADMIN}alerts/notice/add/")
    editor.locator("#id_title_en").fill(title_en)
    editor.locator("#id_title_es").fill(title_es)
    editor.locator("#id_summary_en").fill("People report a checkpoint. Call the hotline "
                                          "before you travel.")
    editor.locator("#id_summary_es").fill("Se reporta un retén. Llame a la línea antes "
                                          "de viajar.")
    editor.locator("#id_severity").select_option(label="Advisory")
    editor.locator("#id_certainty").select_option(label="Being checked")
    choose_in_autocomplete(editor, "hotlines", suffix, hotline_en)
    submit(editor, editor.locator("input[name=_save]"))
    expect(messages(editor, "success")).to_contain_text(
        f"The notice “{title_en}” was added successfully")
    row = editor.locator("#result_list tbody tr", has=editor.get_by_role(
        "link", name=title_en, exact=True))
    expect(row.locator(".field-status")).to_have_text("Draft")
    # No action to run at all (every notice action needs the publish permission)…
    expect(editor.locator("select[name=action]")).to_have_count(0)
    expect(row.locator("input.action-select")).to_have_count(0)
    # …and the draft's own page has no status to change, only a read-only "Draft".
    row.get_by_role("link", name=title_en, exact=True).click()
    editor.wait_for_url(re.compile(r"/admin/alerts/notice/[0-9a-f-]+/change/"))
    notice_id = editor.url.rstrip("/").split("/")[-2]
    expect(editor.locator(".field-status .readonly")).to_have_text("Draft")
    expect(editor.locator("select[name=status]")).to_have_count(0)
    # A hand-made request for the publish action, with the editor's session and CSRF
    # token, changes nothing either.
    token = editor.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = editor.request.post(f"{ADMIN}alerts/notice/", form={
        "csrfmiddlewaretoken": token, "action": "publish_notices", "index": "0",
        "_selected_action": notice_id}, headers={"Referer": editor.url})
    assert forged.status == 200, forged.status  # the list again, with nothing done
    assert "notice published" not in forged.text()
    editor.goto(f"{ADMIN}alerts/notice/?q={suffix}")
    expect(row.locator(".field-status")).to_have_text("Draft")
    watcher.assert_clean("the editor's draft")

    # Visitors do not see a draft.
    visitor = new_page(browser, watcher, "visitor", PHONE, locale="es-US")
    visitor.goto("/en/")
    assert title_en not in visitor.locator("main").inner_text()

    # 4. The publisher confirms it, makes it urgent and asks to publish it.
    publisher.goto(f"{ADMIN}alerts/notice/?q={suffix}")
    publisher.get_by_role("link", name=title_en, exact=True).click()
    publisher.wait_for_url(re.compile(r"/admin/alerts/notice/[0-9a-f-]+/change/"))
    publisher.locator("#id_severity").select_option(label="Urgent")
    publisher.locator("#id_body_en").fill(
        "Our volunteers saw the checkpoint this morning.\n\nYou have the right to stay "
        "silent. Call the hotline if you are stopped.")
    publisher.locator("#id_body_es").fill(
        "Nuestros voluntarios vieron el retén esta mañana.\n\nUsted tiene derecho a "
        "guardar silencio. Llame a la línea si lo detienen.")
    publisher.locator("#id_certainty").select_option(label="Confirmed")
    choose_in_autocomplete(publisher, "confirmed_by", "Colorado Immigrant",
                           CONFIRMING_ORGANIZATION)
    submit(publisher, publisher.locator("input[name=_save]"))
    expect(messages(publisher, "success")).to_contain_text(
        f"The notice “{title_en}” was changed successfully")
    run_action(publisher, title_en, "Publish (urgent: ask a second publisher)")
    expect(messages(publisher, "warning")).to_contain_text(
        f"{title_en} waits for a second publisher to approve it")
    # Nobody approves their own request.
    run_action(publisher, title_en, "Approve and publish (second publisher)")
    expect(messages(publisher, "error")).to_contain_text(
        "A second publisher must approve what you asked to publish")
    row = publisher.locator("#result_list tbody tr", has=publisher.get_by_role(
        "link", name=title_en, exact=True))
    expect(row.locator(".field-status")).to_have_text("Draft")
    visitor.goto("/en/")
    assert title_en not in visitor.locator("main").inner_text()
    watcher.assert_clean("asking to publish")

    # The second publisher, on a phone, finds it on the front page and approves it.
    second = new_page(browser, watcher, "second publisher", PHONE)
    sign_in(second, "second_publisher", production_site.totp("second_publisher"))
    queue = second.locator("#notice-queue")
    expect(queue).to_contain_text("Waiting for a second publisher")
    queue.get_by_role("link", name=title_en).click()
    second.wait_for_url(re.compile(r"/admin/alerts/notice/[0-9a-f-]+/change/"))
    expect(second.locator(".field-confirmed_by")).to_contain_text(CONFIRMING_ORGANIZATION)
    run_action(second, title_en, "Approve and publish (second publisher)")
    expect(messages(second, "success")).to_contain_text("1 notice approved and published")
    row = second.locator("#result_list tbody tr", has=second.get_by_role(
        "link", name=title_en, exact=True))
    expect(row.locator(".field-status")).to_have_text("Published")
    # …and the new hotline's number, so that the notice's readers can call it.
    second.goto(f"{ADMIN}directory/pendingchange/")
    second.locator("#result_list tbody tr", has_text=hotline_en).locator(
        "input.action-select").check()
    second.locator("select[name=action]").select_option(label="Approve: make the change live")
    submit(second, second.get_by_role("button", name="Run"))
    expect(messages(second, "success")).to_contain_text("done")
    watcher.assert_clean("the second publisher's approval")

    # 5. Visitors see it on the home page and on the hotline's page, in both languages.
    for language, title, hotline in (("en", title_en, hotline_en), ("es", title_es, hotline_es)):
        visitor.goto(f"/{language}/")
        expect(visitor.locator(".urgent-banner")).to_contain_text(title)
        assert title in notice_titles(visitor)
        card = visitor.locator(".notice-cards li", has_text=title)
        expect(card.locator(".notice-certainty")).to_contain_text(CONFIRMING_ORGANIZATION)
        visitor.goto(f"/{language}/hotlines/{slug}/")
        expect(visitor.locator("h1")).to_contain_text(hotline)
        expect(visitor.locator('main a[href="tel:+17205550134"]').first).to_be_visible()
        assert title in notice_titles(visitor)
    watcher.assert_clean("visitors seeing the notice")

    # 6. It was found false: the correction shows where the notice was.
    run_action(publisher, title_en, "Mark found false and publish the correction")
    expect(messages(publisher, "success")).to_contain_text("1 correction published")
    for language, title, found_false in (("en", title_en, "Found false: "),
                                         ("es", title_es, "Falso: ")):
        for path in (f"/{language}/", f"/{language}/hotlines/{slug}/"):
            visitor.goto(path)
            titles = notice_titles(visitor)
            assert f"{found_false}{title}" in titles, (path, titles)
            assert title not in titles, (path, titles)
            expect(visitor.locator(".urgent-banner")).to_contain_text(f"{found_false}{title}")
    visitor.goto("/en/")
    visitor.get_by_role("link", name=f"Found false: {title_en}").first.click()
    visitor.wait_for_url(re.compile(r"/en/notices/"))
    expect(visitor.locator("main")).to_contain_text("Checked and found false on")
    visitor.get_by_role("link", name="See the notice it corrects.").click()
    visitor.wait_for_url(re.compile(r"/en/notices/"))
    expect(visitor.locator(".notice-state")).to_contain_text("This notice is no longer in effect")
    expect(visitor.locator(".notice-state")).to_contain_text("It was found false")
    watcher.assert_clean("the correction")

    # 7. The correction is withdrawn in turn: nothing about it is current any more.
    correction_title = f"Found false: {title_en}"
    visitor.goto("/en/")
    correction_url = visitor.get_by_role("link", name=correction_title).first.get_attribute(
        "href")
    run_action(publisher, correction_title, "Withdraw")
    expect(messages(publisher, "success")).to_contain_text("1 notice withdrawn")
    for path in ("/en/", "/es/", f"/en/hotlines/{slug}/", f"/es/hotlines/{slug}/"):
        visitor.goto(path)
        assert not [title for title in notice_titles(visitor) if suffix in title], path
        expect(visitor.locator(".urgent-banner", has_text=suffix)).to_have_count(0)
    visitor.goto("/en/notices/")
    expect(visitor.locator("main")).not_to_contain_text(suffix)
    visitor.goto(correction_url)
    expect(visitor.locator(".notice-state")).to_contain_text(
        "This notice is no longer in effect")
    watcher.assert_clean("withdrawing")


def _tidy_up(production_site, suffix):
    """Leave the shared site as other tests expect it, even after a failure: no notice
    of this journey stays public and its hotline is unpublished."""
    production_site.manage("shell", "-c", f"""
from alerts.models import Notice
from directory.models import Hotline
for notice in Notice.objects.filter(title_en__contains={suffix!r}).exclude(status="withdrawn"):
    notice.status = "withdrawn"
    notice.save()
for hotline in Hotline.objects.filter(slug__endswith={suffix!r}, is_published=True):
    hotline.is_published = False
    hotline.save()
""")
