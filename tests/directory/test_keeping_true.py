import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from directory import reviewing
from directory.checking import overdue_records
from directory.models import (
    CheckingInterval,
    Hotline,
    Location,
    Organization,
    PendingChange,
    Service,
)
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def test_a_record_past_its_interval_says_so_and_stops_pre_dialling(client):
    hotline = factories.make_hotline(last_verified_on=days_ago(31))
    option = factories.make_menu_option(hotline=hotline, last_checked_on=days_ago(31))
    html = client.get(hotline.get_absolute_url()).content.decode()
    assert f"Not checked since {date_format(days_ago(31), 'DATE_FORMAT')}" in html
    assert f"tel:{hotline.phone.as_e164},2" not in html
    CheckingInterval.objects.filter(kind__in=["hotline", "hotlinemenuoption"]).update(days=60)
    CheckingInterval.objects.get(kind="hotline").save()  # an admin save moves the caches on
    html = client.get(hotline.get_absolute_url()).content.decode()
    assert "Not checked since" not in html
    assert f'href="tel:{hotline.phone.as_e164},{option.digits}"' in html


def test_the_queue_lists_exactly_the_overdue_records_oldest_first(admin_client):
    stale_hotline = factories.make_hotline(last_verified_on=days_ago(40))
    never_checked = factories.make_service(last_verified_on=None)
    fresh_hotline = factories.make_hotline(last_verified_on=days_ago(5))
    old_service = factories.make_service(last_verified_on=days_ago(200))
    fresh_service = factories.make_service(last_verified_on=days_ago(100))
    groups = dict(overdue_records())
    assert groups[Hotline] == [stale_hotline]
    assert groups[Service] == [never_checked, old_service]
    page = admin_client.get(reverse("admin:directory_overdue")).content.decode()
    for record in (stale_hotline, never_checked, old_service):
        assert str(record) in page
    for record in (fresh_hotline, fresh_service):
        assert str(record) not in page
    report = StringIO()
    call_command("overdue", stdout=report)
    assert str(stale_hotline) in report.getvalue()
    assert str(fresh_hotline) not in report.getvalue()


def test_marking_checked_from_the_queue_stamps_the_checking_organization(admin_client):
    hotline = factories.make_hotline(last_verified_on=days_ago(40))
    checker = factories.make_organization()
    admin_client.post(reverse("admin:directory_overdue"), {
        "record": f"directory.hotline:{hotline.pk}", "checked_by": checker.pk})
    hotline.refresh_from_db()
    assert (hotline.last_verified_on, hotline.verified_by) == (TODAY, checker)
    assert Hotline not in dict(overdue_records())


def test_a_number_change_waits_for_a_second_person(client):
    hotline = factories.make_hotline(phone="+18448648341")
    first, second = factories.make_publisher(), factories.make_publisher()
    factories.login_staff(client, first)
    url = reverse("admin:directory_hotline_change", args=[hotline.pk])
    data = form_data(client.get(url))
    data["phone"] = "+17205550123"
    assert client.post(url, data).status_code == 302
    hotline.refresh_from_db()
    assert hotline.phone.as_e164 == "+18448648341"
    assert "tel:+18448648341" in client.get(hotline.get_absolute_url()).content.decode()
    change = PendingChange.objects.waiting().get()
    assert change.changes == {"phone": {"old": "+18448648341", "new": "+17205550123"}}
    listing = client.get(reverse("admin:directory_pendingchange_changelist")).content.decode()
    assert "+18448648341" in listing and "+17205550123" in listing
    with pytest.raises(reviewing.PermissionDenied):
        reviewing.approve(change, user=first)
    reviewing.approve(change, user=second)
    hotline.refresh_from_db()
    assert hotline.phone.as_e164 == "+17205550123"
    assert "tel:+17205550123" in client.get(hotline.get_absolute_url()).content.decode()
    assert hotline.history.first().history_change_reason == f"Approved change {change.pk}"


def test_a_menu_digit_change_in_the_inline_waits_too(admin_client):
    option = factories.make_menu_option(digits="2")
    url = reverse("admin:directory_hotline_change", args=[option.hotline.pk])
    page = admin_client.get(url)
    data = form_data(page)
    prefix = next(inline.formset.prefix for inline in page.context["inline_admin_formsets"]
                  if inline.formset.model._meta.model_name == "hotlinemenuoption")
    data[f"{prefix}-0-digits"] = "3"
    assert admin_client.post(url, data).status_code == 302
    option.refresh_from_db()
    assert option.digits == "2"
    assert PendingChange.objects.waiting().get().changes["digits"]["new"] == "3"


def test_a_new_menu_option_stays_hidden_until_a_second_person_approves_it(client):
    english = factories.make_menu_option(digits="1", purpose_en="English")
    hotline = english.hotline
    first, second = factories.make_publisher(), factories.make_publisher()
    factories.login_staff(client, first)
    url = reverse("admin:directory_hotline_change", args=[hotline.pk])
    page = client.get(url)
    data = form_data(page)
    prefix = next(inline.formset.prefix for inline in page.context["inline_admin_formsets"]
                  if inline.formset.model._meta.model_name == "hotlinemenuoption")
    data.update({f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-1-hotline": str(hotline.pk),
                 f"{prefix}-1-position": "1", f"{prefix}-1-digits": "3",
                 f"{prefix}-1-purpose_en": "Report a raid",
                 f"{prefix}-1-purpose_es": "Reportar una redada"})
    saved = client.post(url, data, follow=True).content.decode()
    assert "stays out of public view until a second person approves its digits to press" in \
        saved
    public = client.get(hotline.get_absolute_url()).content.decode()
    assert "English" in public and "Report a raid" not in public
    # Staff still see it, marked as not shown, and may not approve it themselves.
    assert "Report a raid" in client.get(url).content.decode()
    change = PendingChange.objects.waiting().get()
    assert change.changes == {"digits": {"old": None, "new": "3"},
                              "is_published": {"old": False, "new": True}}
    with pytest.raises(reviewing.PermissionDenied):
        reviewing.approve(change, user=first)
    reviewing.approve(change, user=second)
    assert "Report a raid" in client.get(hotline.get_absolute_url()).content.decode()


def test_partner_staff_edit_only_their_own_organization(client):
    own = factories.make_organization()
    other = factories.make_organization()
    own_service = factories.make_service(organization=own)
    other_service = factories.make_service(organization=other)
    partner = factories.make_editor()
    from directory.models import StaffMembership

    StaffMembership.objects.create(user=partner, organization=own)
    factories.login_staff(client, partner)
    listing = client.get(reverse("admin:directory_service_changelist")).content.decode()
    assert str(own_service) in listing
    assert str(other_service) not in listing
    other_url = reverse("admin:directory_service_change", args=[other_service.pk])
    assert client.post(other_url, {"name_en": "Taken over"}).status_code in {302, 403}
    other_service.refresh_from_db()
    assert other_service.name_en != "Taken over"
    own_url = reverse("admin:directory_service_change", args=[own_service.pk])
    data = form_data(client.get(own_url))
    data["summary_en"] = "Updated by the partner"
    assert client.post(own_url, data).status_code == 302
    own_service.refresh_from_db()
    assert own_service.summary_en == "Updated by the partner"
    add = client.get(reverse("admin:directory_service_add"))
    choices = list(add.context["adminform"].form.fields["organization"].queryset)
    assert choices == [own]
    assert client.get(reverse("admin:directory_policy_add")).status_code == 403
    assert not client.get(reverse("admin:alerts_notice_changelist")).content.decode().count(
        "publish_notices")


def test_checked_and_edited_dates_are_shown_apart(client):
    checker = Organization.objects.create(name_en="Checkers", slug="checkers",
                                          kind=Organization.Kind.NONPROFIT)
    service = factories.make_service(last_verified_on=days_ago(3), verified_by=checker)
    html = client.get(service.get_absolute_url()).content.decode()
    assert f"by {checker.name}." in html
    assert "Last edited on" in html


def _add_hotline(client, **fields):
    url = reverse("admin:directory_hotline_add")
    data = form_data(client.get(url))
    data.pop("is_published", None)  # ticked on a new record's form; each test says
    data.update({"name_en": "Checkpoint Line", "name_es": "Línea de Retenes",
                 "slug": "checkpoint-line", "organization": str(factories.make_organization().pk),
                 "purpose_en": "Report a checkpoint", "purpose_es": "Reportar un retén",
                 **fields})
    return client.post(url, data, follow=True)


def test_a_new_hotline_stays_hidden_until_a_second_person_approves_its_number(client):
    first, second = factories.make_publisher(), factories.make_publisher()
    factories.login_staff(client, first)
    added = _add_hotline(client, phone="720-555-0134", is_published="on")
    assert "stays out of public view until a second person approves its phone" in \
        added.content.decode()
    hotline = Hotline.objects.get(slug="checkpoint-line")
    assert not hotline.is_published
    assert client.get(hotline.get_absolute_url()).status_code == 404
    change = PendingChange.objects.waiting().get()
    assert change.changes == {"phone": {"old": None, "new": "+17205550134"},
                              "is_published": {"old": False, "new": True}}
    listing = client.get(reverse("admin:directory_pendingchange_changelist")).content.decode()
    assert "+17205550134" in listing
    with pytest.raises(reviewing.PermissionDenied):
        reviewing.approve(change, user=first)
    reviewing.approve(change, user=second)
    html = client.get(hotline.get_absolute_url()).content.decode()
    assert 'href="tel:+17205550134"' in html


def test_publishing_a_hidden_hotline_later_waits_too(client):
    hotline = factories.make_hotline(phone="+17205550177", is_published=False)
    factories.login_staff(client, factories.make_publisher())
    url = reverse("admin:directory_hotline_change", args=[hotline.pk])
    data = form_data(client.get(url))
    data["is_published"] = "on"
    assert client.post(url, data).status_code == 302
    hotline.refresh_from_db()
    assert not hotline.is_published
    assert PendingChange.objects.waiting().get().changes["phone"]["new"] == "+17205550177"


def test_a_hidden_hotline_and_a_new_one_without_a_number_do_not_wait(client):
    factories.login_staff(client, factories.make_publisher())
    _add_hotline(client, phone="720-555-0134")  # not asked to be public
    hotline = Hotline.objects.get(slug="checkpoint-line")
    assert not hotline.is_published and not PendingChange.objects.exists()
    fund = factories.make_legal_fund(is_published=False, donate_url="")
    url = reverse("admin:directory_legalfund_change", args=[fund.pk])
    data = form_data(client.get(url))
    data["is_published"] = "on"
    assert client.post(url, data).status_code == 302
    fund.refresh_from_db()
    assert fund.is_published and not PendingChange.objects.exists()


def test_a_new_address_stays_confidential_until_a_second_person_approves_it(client):
    factories.login_staff(client, factories.make_publisher())
    url = reverse("admin:directory_location_add")
    data = form_data(client.get(url))
    data.update({"name_en": "New office", "name_es": "Oficina nueva",
                 "street_address": "1 Fake St", "city": "Denver", "state": "CO",
                 "postal_code": "80202"})
    assert client.post(url, data).status_code == 302
    location = Location.objects.get(name_en="New office")
    assert location.is_confidential
    change = PendingChange.objects.waiting().get()
    assert change.changes["street_address"] == {"old": None, "new": "1 Fake St"}
    reviewing.approve(change, user=factories.make_publisher())
    location.refresh_from_db()
    assert not location.is_confidential
