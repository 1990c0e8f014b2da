"""The staff admin, driven the way a staff member drives it: real GETs and POSTs."""

import datetime
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from directory.models import (
    Category,
    DetentionFacility,
    Hotline,
    HotlineHours,
    HotlineMenuOption,
    Language,
    LegalFund,
    Location,
    LocationHours,
    Organization,
    Policy,
    Region,
    Service,
    ServiceHours,
    Source,
)
from directory.upkeep import content_version
from tests.admin_forms import form_data
from tests.factories import (
    make_hotline,
    make_language,
    make_organization,
    make_policy,
    make_region,
    make_service,
)

# --- Helpers -------------------------------------------------------------------------------


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _formset(response, model):
    """The inline formset on the page that edits `model` rows."""
    found = [inline.formset for inline in response.context["inline_admin_formsets"]
             if inline.formset.model is model]
    assert len(found) == 1, f"one inline for {model.__name__} expected on the page"
    return found[0]


def _add_rows(data, response, model, rows):
    """Fill extra inline rows for `model` into `data`, as clicking “Add another” would."""
    formset = _formset(response, model)
    prefix = formset.prefix
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def _error_text(response):
    """Every error on an admin page, for assertion messages."""
    errors = []
    if response.context and "adminform" in response.context:
        errors.append(response.context["adminform"].form.errors.as_text())
        for inline in response.context["inline_admin_formsets"]:
            errors.append(str(inline.formset.errors))
            errors.append(str(inline.formset.non_form_errors()))
    return "\n".join(errors)


def _page_has(response, text):
    """Whether the rendered page shows `text` as a staff member would read it."""
    return html.escape(str(text)) in response.content.decode() or str(text) in html.unescape(
        response.content.decode())


def _db_value(obj, name):
    """The stored value of a posted field, in the form it was posted."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one:
        value = getattr(obj, model_field.attname)
    else:
        value = getattr(obj, name)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"  # as NullBooleanSelect posts it
    return "" if value is None else str(value)


# --- 1. Create, edit and delete every kind -----------------------------------------------


@dataclass
class Case:
    """One kind's add POST: main fields, inline rows, and how to find the new record."""

    model: type
    fields: dict
    rows: dict = field(default_factory=dict)  # row model -> list of (posted row, expected attrs)
    lookup: str = "slug"
    changed_field: str = "name_es"


def _organization_case(n):
    return Case(
        Organization,
        {"name_en": f"Aid Network {n}", "name_es": f"Red de Ayuda {n}", "slug": f"aid-{n}",
         "kind": Organization.Kind.NONPROFIT, "email": f"help{n}@example.org"},
        rows={
            Hotline: [({"name_en": f"Aid Line {n}", "name_es": f"Línea de Ayuda {n}",
                        "slug": f"aid-line-{n}", "purpose_en": "Report ICE activity",
                        "purpose_es": "Reportar actividad de ICE", "phone": "720-555-0123",
                        "is_published": "on"},
                       # Asked to be public, but a new number waits for a second person.
                       {"name_en": f"Aid Line {n}", "name_es": f"Línea de Ayuda {n}",
                        "purpose_es": "Reportar actividad de ICE", "is_published": False})],
            Service: [({"name_en": f"Clinic {n}", "name_es": f"Clínica {n}",
                        "slug": f"clinic-{n}", "cost": Service.Cost.FREE},
                       {"name_en": f"Clinic {n}", "name_es": f"Clínica {n}",
                        "cost": Service.Cost.FREE, "is_published": False})],
        },
    )


def _hotline_case(n):
    organization = make_organization()
    language = make_language()
    return Case(
        Hotline,
        {"name_en": f"Rapid Response {n}", "name_es": f"Respuesta Rápida {n}",
         "slug": f"rapid-{n}", "organization": str(organization.pk),
         "purpose_en": "Report ICE activity", "purpose_es": "Reportar actividad de ICE",
         "phone": "+17205550142", "website": "https://example.org/line",
         "last_verified_on": "2026-10-30"},
        rows={
            HotlineMenuOption: [({"position": "1", "digits": "2", "purpose_en": "Report a raid",
                                  "purpose_es": "Reportar una redada",
                                  "languages": [str(language.pk)]},
                                 {"digits": "2", "purpose_en": "Report a raid",
                                  "purpose_es": "Reportar una redada", "position": 1})],
            HotlineHours: [({"weekday": "1", "opens": "09:00", "closes": "17:30"},
                            {"weekday": 1, "opens": datetime.time(9),
                             "closes": datetime.time(17, 30), "is_24_hours": False})],
        },
    )


def _service_case(n):
    organization = make_organization()
    return Case(
        Service,
        {"name_en": f"Legal Clinic {n}", "name_es": f"Clínica Legal {n}",
         "slug": f"legal-clinic-{n}", "organization": str(organization.pk),
         "cost": Service.Cost.SLIDING_SCALE, "legal_help_by": Service.LegalHelpBy.ATTORNEY},
        rows={ServiceHours: [({"weekday": "5", "is_closed": "on"},
                              {"weekday": 5, "is_closed": True, "opens": None})]},
    )


def _legal_fund_case(n):
    organization = make_organization(kind=Organization.Kind.FUND)
    return Case(
        LegalFund,
        {"name_en": f"Bond Fund {n}", "name_es": f"Fondo de Fianzas {n}", "slug": f"bond-{n}",
         "kind": LegalFund.Kind.BOND, "organization": str(organization.pk),
         "donate_url": "https://example.org/donate"},
    )


def _facility_case(n):
    operator = make_organization(kind=Organization.Kind.DETENTION_OPERATOR)
    authority = make_organization(kind=Organization.Kind.ENFORCEMENT_AGENCY)
    return Case(
        DetentionFacility,
        {"name_en": f"Aurora Facility {n}", "name_es": f"Centro de Aurora {n}",
         "slug": f"aurora-{n}", "official_name": f"Contract Detention Facility {n}",
         "operator": str(operator.pk), "authority": str(authority.pk),
         "kind": DetentionFacility.Kind.CONTRACT, "phone": "(303) 555-0199"},
    )


def _policy_case(n):
    organization = make_organization(kind=Organization.Kind.POLICE)
    return Case(
        Policy,
        {"name_en": f"No raids {n}", "name_es": f"Sin redadas {n}", "slug": f"no-raids-{n}",
         "organization": str(organization.pk), "stated_on": "2019-06-21",
         "quote_language": "en", "is_in_force": "true"},
    )


def _location_case(n):
    region = make_region()
    return Case(
        Location,
        {"name_en": f"Main office {n}", "name_es": f"Oficina principal {n}",
         "street_address": f"{n} Colfax Ave", "city": "Denver", "state": "CO",
         "postal_code": "80202", "region": str(region.pk)},
        rows={LocationHours: [({"weekday": "0", "is_24_hours": "on"},
                               {"weekday": 0, "is_24_hours": True, "closes": None})]},
        lookup="name_en",
    )


def _region_case(n):
    parent = make_region(kind=Region.Kind.STATE)
    return Case(
        Region,
        {"name_en": f"Aurora {n}", "name_es": f"Aurora (es) {n}", "slug": f"aurora-{n}",
         "kind": Region.Kind.CITY, "parent": str(parent.pk)},
    )


def _category_case(n):
    return Case(
        Category,
        {"name_en": f"Legal help {n}", "name_es": f"Ayuda legal {n}", "slug": f"legal-{n}",
         "position": "3"},
    )


def _language_case(n):
    return Case(Language, {"code": f"x-test-{n}", "name_en": f"Mam {n}",
                           "name_es": f"Mam (es) {n}"}, lookup="code")


def _source_case(n):
    return Case(
        Source,
        {"title": f"Police will not help ICE {n}", "publisher": "Denver7",
         "url": "https://example.org/article", "published_on": "2019-06-21"},
        lookup="title", changed_field="publisher",
    )


CASES = {
    "organization": _organization_case, "hotline": _hotline_case, "service": _service_case,
    "legal_fund": _legal_fund_case, "detention_facility": _facility_case,
    "policy": _policy_case, "location": _location_case, "region": _region_case,
    "category": _category_case, "language": _language_case, "source": _source_case,
}


def _rows_of(obj, row_model):
    fk = next(f for f in row_model._meta.get_fields()
              if f.many_to_one and f.related_model is type(obj) and f.name != "verified_by")
    return row_model.objects.filter(**{fk.name: obj})


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(CASES))
def test_staff_create_edit_and_delete_every_kind(admin_client, admin_user, kind):
    case = CASES[kind](1)
    model = case.model

    # Create, with inline rows in the same POST.
    add_page = admin_client.get(_admin_url(model, "add"))
    assert add_page.status_code == 200
    data = form_data(add_page)
    data.update(case.fields)
    for row_model, rows in case.rows.items():
        _add_rows(data, add_page, row_model, [posted for posted, _ in rows])
    response = admin_client.post(_admin_url(model, "add"), data)
    assert response.status_code == 302, _error_text(response)

    obj = model.objects.get(**{case.lookup: case.fields[case.lookup]})
    for name, posted in case.fields.items():
        if name == "phone":
            continue  # stored normalised; checked below
        assert _db_value(obj, name) == posted, name
    if "phone" in case.fields:
        assert obj.phone.as_e164.startswith("+1")
        assert obj.phone.national_number == int(
            "".join(ch for ch in case.fields["phone"] if ch.isdigit())[-10:])
    for row_model, rows in case.rows.items():
        stored = list(_rows_of(obj, row_model))
        assert len(stored) == len(rows), row_model.__name__
        for row, (posted, expected) in zip(stored, rows, strict=True):
            for attr, value in expected.items():
                assert getattr(row, attr) == value, f"{row_model.__name__}.{attr}"
            if "languages" in posted:
                assert [str(pk) for pk in row.languages.values_list("pk", flat=True)] == \
                    posted["languages"]
    versions = obj.history.count()
    assert versions >= 1

    # Edit: the change page as rendered, with one field changed.
    change_url = _admin_url(model, "change", obj.pk)
    change_page = admin_client.get(change_url)
    assert change_page.status_code == 200
    data = form_data(change_page)
    new_value = f"{case.fields[case.changed_field]} (edited)"
    data[case.changed_field] = new_value
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, _error_text(response)
    obj.refresh_from_db()
    assert getattr(obj, case.changed_field) == new_value
    assert obj.history.count() > versions
    latest = obj.history.first()
    assert getattr(latest, case.changed_field) == new_value, "the version holds the edit"
    assert latest.history_user == admin_user, "the version says who edited"
    for row_model, rows in case.rows.items():
        assert _rows_of(obj, row_model).count() == len(rows), "the edit kept the inline rows"

    # Delete, through the confirmation page.
    delete_url = _admin_url(model, "delete", obj.pk)
    assert admin_client.get(delete_url).status_code == 200
    response = admin_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()
    deleted = model.history.filter(**{model._meta.pk.attname: obj.pk}, history_type="-")
    assert deleted.exists(), "the deletion is versioned, so it can be undone"


# --- 2. Field validation on the hotline form ----------------------------------------------


def _hotline_add(admin_client, **fields):
    organization = make_organization()
    page = admin_client.get(_admin_url(Hotline, "add"))
    data = form_data(page)
    data.update({"name_en": "Rapid Response", "name_es": "Respuesta Rápida",
                 "slug": "rapid-response", "organization": str(organization.pk),
                 "purpose_en": "Report ICE activity", "purpose_es": "Reportar actividad de ICE"})
    data.update(fields)
    return admin_client.post(_admin_url(Hotline, "add"), data)


def _assert_refused(response, field_name):
    """The form came back with an error on `field_name`, shown on the page, and saved nothing."""
    assert response.status_code == 200
    assert not Hotline.objects.exists()
    errors = response.context["adminform"].form.errors
    assert field_name in errors, errors.as_text()
    for message in errors[field_name]:
        assert _page_has(response, message), message
    return errors[field_name]


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["555-12", "123"])
def test_invalid_phone_is_refused_with_a_message(admin_client, phone):
    response = _hotline_add(admin_client, phone=phone)
    messages = _assert_refused(response, "phone")
    assert any("valid phone number" in message for message in messages), messages


@pytest.mark.django_db
def test_phone_with_extension_is_stored_apart(admin_client):
    response = _hotline_add(admin_client, phone="(303) 555-0100 ext. 12")
    assert response.status_code == 302, _error_text(response)
    hotline = Hotline.objects.get(slug="rapid-response")
    assert hotline.phone.as_e164 == "+13035550100"
    assert not hotline.phone.extension
    assert hotline.phone_extension == "12"


@pytest.mark.django_db
@pytest.mark.parametrize(("field_name", "value"), [
    ("website", "not a web address"),
    ("website", "example"),
    ("last_verified_on", "2026-02-31"),
    ("last_verified_on", "yesterday"),
])
def test_bad_url_and_bad_date_are_refused(admin_client, field_name, value):
    _assert_refused(_hotline_add(admin_client, **{field_name: value}), field_name)


@pytest.mark.django_db
def test_short_code_988_is_accepted(admin_client):
    response = _hotline_add(admin_client, short_code="988")
    assert response.status_code == 302, _error_text(response)
    hotline = Hotline.objects.get(slug="rapid-response")
    assert hotline.short_code == "988"
    assert not hotline.phone
    assert hotline.tel_href() == "tel:988"


@pytest.mark.django_db
def test_short_code_12_is_refused_with_a_message(admin_client):
    messages = _assert_refused(_hotline_add(admin_client, short_code="12"), "short_code")
    assert any("12" in message and "short" in message for message in messages), messages


# --- 3. Inline hours are validated, and nothing is half-saved ------------------------------


@pytest.mark.django_db
def test_hours_row_with_opening_but_no_closing_time_saves_nothing(admin_client):
    organization = make_organization()
    page = admin_client.get(_admin_url(Hotline, "add"))
    data = form_data(page)
    data.update({"name_en": "Rapid Response", "name_es": "Respuesta Rápida",
                 "slug": "rapid-response", "organization": str(organization.pk),
                 "purpose_en": "Report ICE activity", "purpose_es": "Reportar actividad de ICE",
                 "phone": "+17205550142"})
    _add_rows(data, page, HotlineHours, [{"weekday": "0", "opens": "09:00", "closes": ""}])

    response = admin_client.post(_admin_url(Hotline, "add"), data)

    assert response.status_code == 200
    formset = _formset(response, HotlineHours)
    row_errors = formset.forms[0].non_field_errors()
    assert row_errors, formset.errors
    for message in row_errors:
        assert _page_has(response, message)
    assert any("closing time" in message for message in row_errors), row_errors
    assert not Hotline.objects.exists()
    assert not HotlineHours.objects.exists()
    assert not Hotline.history.exists()


# --- 4. The “mark checked today” action ---------------------------------------------------


def _changelist_action(admin_client, model, records, **extra):
    data = {"action": "mark_checked_today", "index": "0",
            "_selected_action": [str(record.pk) for record in records], **extra}
    return admin_client.post(_admin_url(model, "changelist"), data, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize("make", [make_hotline, make_service, make_policy])
def test_mark_checked_today_stamps_date_checker_and_history(admin_client, admin_user, make):
    records = [make(), make()]
    untouched = make()
    model = type(records[0])
    checker = make_organization()
    versions = {record.pk: record.history.count() for record in records}
    before = content_version()

    response = _changelist_action(admin_client, model, records, checked_by=str(checker.pk))

    assert response.status_code == 200
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert [level for level, _ in shown] == ["success"], shown
    assert str(checker) in shown[0][1]
    for record in records:
        record.refresh_from_db()
        assert record.last_verified_on == timezone.localdate()
        assert record.verified_by == checker
        assert record.history.count() == versions[record.pk] + 1
        latest = record.history.first()
        assert latest.last_verified_on == timezone.localdate()
        assert latest.verified_by_id == checker.pk
        assert latest.history_user == admin_user
    untouched.refresh_from_db()
    assert untouched.last_verified_on is None
    assert untouched.verified_by is None
    assert content_version() != before


@pytest.mark.django_db
def test_mark_checked_today_without_checker_changes_nothing_and_says_so(admin_client):
    hotline = make_hotline()
    versions = hotline.history.count()
    before = content_version()

    response = _changelist_action(admin_client, Hotline, [hotline])

    assert response.status_code == 200
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert [level for level, _ in shown] == ["error"], shown
    assert _page_has(response, shown[0][1])
    hotline.refresh_from_db()
    assert hotline.last_verified_on is None
    assert hotline.verified_by is None
    assert hotline.history.count() == versions
    assert content_version() == before


# --- 5. No third-party loads on the admin pages -------------------------------------------


class _LoadedAddresses(HTMLParser):
    """Every address a page makes the browser load by itself: scripts, styles, images."""

    LOADS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}

    def __init__(self):
        super().__init__()
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        attribute = self.LOADS.get(tag)
        for name, value in attrs:
            if name == attribute and value:
                self.addresses.append((tag, value))


@pytest.mark.django_db
def test_hotline_change_page_loads_nothing_from_another_host(admin_client):
    hotline = make_hotline()
    response = admin_client.get(_admin_url(Hotline, "change", hotline.pk))
    assert response.status_code == 200

    parser = _LoadedAddresses()
    parser.feed(response.content.decode())
    tags = {tag for tag, _ in parser.addresses}
    assert {"script", "link"} <= tags, "the page should load its own scripts and styles"
    foreign = [(tag, address) for tag, address in parser.addresses
               if address.strip().lower().startswith(("http://", "https://", "//"))]
    assert foreign == []


# --- 6. Cookies only under the admin path --------------------------------------------------


@pytest.mark.django_db
def test_login_cookies_are_scoped_to_the_admin_and_public_pages_set_none(
        client, django_user_model):
    admin_path = "/" + settings.ADMIN_URL
    staff = django_user_model.objects.create_superuser("staff", "staff@example.org",
                                                       "a long staff password")
    recovery = StaticDevice.objects.create(user=staff, name="recovery codes")
    recovery.token_set.create(token="recovery1")
    client.handler.enforce_csrf_checks = True

    login_url = reverse("admin:login")
    page = client.get(login_url)
    assert page.status_code == 200
    token = page.context["csrf_token"]
    response = client.post(login_url, {
        "username": "staff", "password": "a long staff password",
        "otp_token": "recovery1", "csrfmiddlewaretoken": str(token),
        "next": reverse("admin:index"),
    })
    assert response.status_code == 302, response.content.decode()[:500]
    assert urlparse(response["Location"]).path == reverse("admin:index")

    set_cookies = [*page.cookies.values(), *response.cookies.values()]
    names = {cookie.key for cookie in set_cookies}
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= names, names
    for cookie in set_cookies:
        assert cookie["path"] == admin_path, cookie.output()
        assert cookie["httponly"], cookie.output()
    assert response.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("admin:index")).status_code == 200

    public = client.__class__().get("/en/")
    assert public.status_code == 200
    assert not public.cookies, public.cookies.output()


# --- 7. View on site -----------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href")


@pytest.mark.django_db
def test_view_on_site_link_leads_to_the_public_hotline_page(admin_client):
    hotline = make_hotline()
    response = admin_client.get(_admin_url(Hotline, "change", hotline.pk))
    assert response.status_code == 200

    content_type = ContentType.objects.get_for_model(Hotline)
    expected = reverse("admin:view_on_site", args=(content_type.pk, hotline.pk))
    parser = _Links()
    parser.feed(response.content.decode())
    assert expected in parser.hrefs

    redirect = admin_client.get(expected)
    assert redirect.status_code == 302
    target = urlparse(redirect["Location"])
    assert target.netloc in ("", "testserver")
    assert target.path == hotline.get_absolute_url()

    public = admin_client.get(target.path)
    assert public.status_code == 200
    assert _page_has(public, hotline.name)
