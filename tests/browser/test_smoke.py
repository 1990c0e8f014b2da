import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.browser


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_admin_login_page_renders_on_a_phone(live_server, phone_page):
    phone_page.goto(live_server.url + reverse("admin:login"))
    assert phone_page.locator("input[name=username]").is_visible()
    assert phone_page.locator("input[name=password]").is_visible()
    assert fits_the_screen(phone_page)


def test_spanish_home_leads_to_the_hotline_and_its_call_link(live_server, phone_page):
    call_command("load_sample_data", verbosity=0)
    phone_page.goto(live_server.url + "/")
    assert phone_page.url.endswith("/es/")
    assert fits_the_screen(phone_page)
    call_button = phone_page.locator("main a.call-button").first
    assert call_button.get_attribute("href") == "tel:+18448648341"
    hotline_link = phone_page.get_by_role("link", name="Línea de ayuda de la Colorado")
    hotline_link.first.click()
    phone_page.wait_for_url("**/es/hotlines/circ-hotline/")
    assert phone_page.locator('a[href="tel:+18448648341"]').first.is_visible()
    assert "luego marque 2" in phone_page.locator("main").inner_text()
