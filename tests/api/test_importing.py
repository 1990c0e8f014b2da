"""directory.importing: all of a file or nothing, every problem named with its row."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from directory import reviewing
from directory.exporting import csv_text, tables
from directory.importing import import_hsds
from directory.models import (
    DetentionFacility,
    Hotline,
    HotlineMenuOption,
    Organization,
    PendingChange,
    Service,
)
from tests import factories

SERVICE_HEADER = "id,organization_id,name,description,status,fees_description\n"


def snapshot():
    """Everything an import could touch, to compare before and after."""
    return {
        "services": sorted(Service.objects.values_list("id", "name_en", "description_en",
                                                       "phone", "cost", "last_verified_on")),
        "hotlines": sorted(Hotline.objects.values_list("id", "name_en", "phone")),
        "organizations": sorted(Organization.objects.values_list("id", "name_en", "kind")),
        "options": sorted(HotlineMenuOption.objects.values_list("digits", "purpose_en",
                                                                "last_checked_on")),
    }


def export_files():
    flat = tables()
    from directory.exporting import table_path

    return {table_path(table): csv_text(table, rows).encode() for table, rows in flat.items()}


def problems_of(report):
    return [(p.file, p.row, p.field) for p in report.problems]


def test_an_edited_export_updates_by_id_and_keeps_the_check_dates(hsds_directory):
    files = export_files()
    clinic = hsds_directory["clinic"]
    text = files["services.csv"].decode()
    files["services.csv"] = text.replace("Bring any letters.", "Bring every letter.").encode()
    files["phones.csv"] = files["phones.csv"].decode().replace(
        "+17205550100", "1-720-555-0199").encode()
    checked = Hotline.objects.get(slug="circ-hotline").last_verified_on
    preview = import_hsds(files=files, dry_run=True)
    assert preview.problems == [] and not preview.written
    assert [str(change) for change in preview.changes] == [
        "Update service “Walk-in legal clinic”: description_en, phone"]
    clinic.refresh_from_db()
    assert clinic.description_en == "Bring any letters."
    report = import_hsds(files=files)
    assert report.written and len(report.changes) == 1
    clinic.refresh_from_db()
    assert clinic.description_en == "Bring every letter."
    assert clinic.phone.as_e164 == "+17205550199"
    assert clinic.summary_en == "Free advice from an attorney."
    assert Hotline.objects.get(slug="circ-hotline").last_verified_on == checked
    option = HotlineMenuOption.objects.get(hotline__slug="circ-hotline")
    assert option.last_checked_on == datetime.date(2019, 7, 11)


def test_a_new_service_is_created_with_its_id(hsds_directory):
    coalition = hsds_directory["coalition"]
    new_id = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    csv = SERVICE_HEADER + f"{new_id},{coalition.pk},Rent help,Pays one month,active,Free\n"
    report = import_hsds(files={"services.csv": csv.encode()})
    assert report.problems == []
    service = Service.objects.get(pk=new_id)
    assert (service.name_en, service.description_en, service.cost, service.slug) == (
        "Rent help", "Pays one month", "free", "rent-help")
    assert service.last_verified_on is None and service.verified_by is None


def test_an_imported_hotline_number_waits_for_a_second_person(client, hsds_directory):
    text_line = hsds_directory["text_line"]
    files = export_files()
    files["phones.csv"] = files["phones.csv"].decode().replace(
        "+17205550111", "+17205550199").encode()
    first, second = factories.make_publisher(), factories.make_publisher()
    report = import_hsds(files=files, user=first)
    assert report.problems == []
    assert [str(change) for change in report.changes] == [
        "Update hotline “Family text line”: phone (waits for a second person to approve: "
        "phone)"]
    assert "tel:+17205550111" in client.get(text_line.get_absolute_url()).content.decode()
    change = PendingChange.objects.waiting().get()
    assert change.changes == {"phone": {"old": "+17205550111", "new": "+17205550199"}}
    assert change.requested_by == first
    import_hsds(files=files, user=first)  # the same file again is the same change
    assert PendingChange.objects.waiting().get() == change
    with pytest.raises(PermissionDenied):
        reviewing.approve(change, user=first)
    reviewing.approve(change, user=second)
    assert "tel:+17205550199" in client.get(text_line.get_absolute_url()).content.decode()


def test_an_imported_new_hotline_or_address_stays_hidden_until_approved(client,
                                                                        hsds_directory):
    facility = DetentionFacility.objects.get(slug="denver-contract-detention-facility")
    facility_id, files = facility.pk, export_files()
    hsds_directory["text_line"].delete()
    facility.delete()
    facility.location.delete()
    report = import_hsds(files=files, user=factories.make_publisher())
    assert report.problems == []
    hotline = Hotline.objects.get(slug="family-text-line")
    place = DetentionFacility.objects.get(pk=facility_id).location
    assert not hotline.is_published and place.is_confidential
    assert client.get(hotline.get_absolute_url()).status_code == 404
    waiting = {change.target: change.changes for change in PendingChange.objects.waiting()}
    assert waiting[hotline]["phone"] == {"old": None, "new": "+17205550111"}
    assert waiting[place]["city"] == {"old": None, "new": "Aurora"}
    options = HotlineMenuOption.objects.filter(hotline=hotline)
    assert sorted(waiting[option]["digits"]["new"] for option in options) == ["1", "2"]
    # The same files again: the waiting address is no problem, and nothing is asked twice.
    again = import_hsds(files=files, user=factories.make_publisher())
    assert again.problems == [] and PendingChange.objects.waiting().count() == 4
    second = factories.make_publisher()
    reviewing.approve(PendingChange.objects.for_object(hotline).get(), user=second)
    page = client.get(hotline.get_absolute_url()).content.decode()
    assert 'href="tel:+17205550111"' in page and "No menu options recorded." in page
    for change in PendingChange.objects.waiting():
        reviewing.approve(change, user=second)
    assert "Press 2: Español" in client.get(hotline.get_absolute_url()).content.decode()
    place.refresh_from_db()
    assert not place.is_confidential


def test_a_menu_option_waiting_for_approval_is_not_exported_nor_cleared(hsds_directory):
    text_line = hsds_directory["text_line"]
    waiting = factories.make_menu_option(hotline=text_line, digits="3",
                                         purpose_en="Report a raid", is_published=False)
    files = export_files()
    assert "Report a raid" not in files["phones.csv"].decode() + files[
        "attributes.csv"].decode()
    report = import_hsds(files=files)
    assert report.problems == [] and report.changes == []
    assert HotlineMenuOption.objects.filter(pk=waiting.pk, is_published=False).exists()


BAD_FILES = {
    "bad phone number": ({"phones.csv": "id,service_id,number,type\n"
                                        "{phone},{clinic},555-CALL-NOW,voice\n"},
                         [("phones.csv", 2, "number")]),
    "missing required field": ({"services.csv": SERVICE_HEADER
                                + "{clinic},{org},,Text,active,\n"},
                               [("services.csv", 2, "name")]),
    "unknown reference": ({"services.csv": SERVICE_HEADER
                           + "{clinic},9d0f3a1e-0000-4000-8000-000000000000,Clinic,,active,\n"},
                          [("services.csv", 2, "organization_id")]),
    "missing column": ({"services.csv": "id,name,status\n{clinic},Clinic,active\n"},
                       [("services.csv", None, "organization_id")]),
    "malformed file": ({"services.csv": SERVICE_HEADER + '{clinic},{org},"Clinic,x,active\n'},
                       [("services.csv", 2, "")]),
    "ragged row": ({"services.csv": SERVICE_HEADER + "{clinic},{org},Clinic\n"},
                   [("services.csv", 2, "")]),
    "unknown file": ({"clients.csv": "id\n1\n"}, [("clients.csv", None, "")]),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_file_with_an_error_writes_nothing_and_names_the_row(hsds_directory, case):
    files, expected = BAD_FILES[case]
    clinic = hsds_directory["clinic"]
    values = {"clinic": clinic.pk, "org": clinic.organization_id,
              "phone": "aa0b8a6e-1ff4-4d5e-9b0a-1a1a1a1a1a1a"}
    if case == "bad phone number":
        # The phone travels with its service, renamed in the same file: neither is written.
        files = files | {"services.csv": SERVICE_HEADER
                         + f"{clinic.pk},{clinic.organization_id},Renamed,,active,\n"}
    before = snapshot()
    report = import_hsds(files={name: text.format(**values).encode()
                                for name, text in files.items()})
    assert problems_of(report) == expected
    assert not report.written
    assert snapshot() == before


def test_a_file_in_another_encoding_is_refused_whole(hsds_directory):
    before = snapshot()
    text = SERVICE_HEADER + f"{hsds_directory['clinic'].pk},{hsds_directory['coalition'].pk}," \
        "Clínica,,active,\n"
    report = import_hsds(files={"services.csv": text.encode("latin-1")})
    assert problems_of(report) == [("services.csv", None, "")]
    assert "UTF-8" in report.problems[0].message
    assert snapshot() == before


def test_every_problem_of_a_file_is_reported_at_once(hsds_directory):
    clinic, coalition = hsds_directory["clinic"], hsds_directory["coalition"]
    text = SERVICE_HEADER + "\n".join([
        f"{clinic.pk},{coalition.pk},Good row,,active,",
        f"not-an-id,{coalition.pk},Bad id,,active,",
        f"9d0f3a1e-0000-4000-8000-000000000001,{coalition.pk},,,active,",
        "9d0f3a1e-0000-4000-8000-000000000002,9d0f3a1e-0000-4000-8000-00000000dead,X,,active,",
        f"9d0f3a1e-0000-4000-8000-000000000003,{coalition.pk},Y,,closed,Cheap",
    ]) + "\n"
    before = snapshot()
    report = import_hsds(files={"services.csv": text.encode()})
    assert problems_of(report) == [
        ("services.csv", 3, "id"), ("services.csv", 4, "name"),
        ("services.csv", 5, "organization_id"), ("services.csv", 6, "status"),
        ("services.csv", 6, "fees_description")]
    assert all(str(problem).startswith("services.csv, row ") for problem in report.problems)
    assert snapshot() == before


def test_a_confidential_location_is_never_changed_or_cleared(hsds_directory):
    hidden = hsds_directory["hidden_service"]
    files = export_files()
    assert str(hidden.pk) in files["services.csv"].decode()
    report = import_hsds(files=files)
    assert report.problems == []
    hidden.refresh_from_db()
    assert hidden.location == hsds_directory["shelter"]


def test_the_command_reports_every_problem_and_fails(hsds_directory, tmp_path):
    (tmp_path / "services.csv").write_text(
        SERVICE_HEADER + f"{hsds_directory['clinic'].pk},{hsds_directory['coalition'].pk},,,"
        "active,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problems"):
        call_command("import_hsds", str(tmp_path / "services.csv"), stderr=err)
    assert "services.csv, row 2, name: This is required." in err.getvalue()
    out = io.StringIO()
    call_command("export_hsds", str(tmp_path / "export"), stdout=out)
    call_command("import_hsds", str(tmp_path / "export"), "--dry-run", stdout=out)
    assert "Would change 0 records." in out.getvalue()


def test_staff_preview_an_upload_then_confirm_it(admin_client, hsds_directory):
    clinic = hsds_directory["clinic"]
    url = f"/{settings.ADMIN_URL}hsds/import/"
    assert admin_client.get(url).status_code == 200
    download = admin_client.get(f"/{settings.ADMIN_URL}hsds/services.csv").content
    edited = download.replace(b"Walk-in legal clinic", b"Walk-in legal clinic (Mondays)")
    preview = admin_client.post(url, {"table": "services",
                                      "file": SimpleUploadedFile("services.csv", edited)})
    assert preview.status_code == 200
    assert "Update service “Walk-in legal clinic (Mondays)”: name_en" in preview.content.decode()
    clinic.refresh_from_db()
    assert clinic.name_en == "Walk-in legal clinic"
    content = preview.context["form"].initial["content"]
    done = admin_client.post(url, {"table": "services", "content": content, "confirm": "1"})
    assert "Imported: 1 record changed." in done.content.decode()
    clinic.refresh_from_db()
    assert clinic.name_en == "Walk-in legal clinic (Mondays)"


def test_staff_see_every_problem_and_nothing_is_written(admin_client, hsds_directory):
    url = f"/{settings.ADMIN_URL}hsds/import/"
    bad = (SERVICE_HEADER + f"{hsds_directory['clinic'].pk},{hsds_directory['coalition'].pk}"
           ",,,active,Cheap\n").encode()
    before = snapshot()
    response = admin_client.post(url, {"table": "services",
                                       "file": SimpleUploadedFile("services.csv", bad)})
    page = response.content.decode()
    assert "Nothing was imported: 2 problems to fix" in page
    assert "services.csv, row 2, name" in page and "fees_description" in page
    assert "Import these changes" not in page
    assert snapshot() == before


def test_the_admin_home_links_the_open_data_pages(admin_client, db):
    page = admin_client.get(f"/{settings.ADMIN_URL}").content.decode()
    assert f"/{settings.ADMIN_URL}hsds/services.csv" in page
    assert f"/{settings.ADMIN_URL}hsds/import/" in page


def test_staff_without_permission_cannot_import_or_download(client, hsds_directory):
    from django.contrib.auth.models import User

    from tests.factories import login_staff

    user = User.objects.create_user("viewer", password="pw-not-used", is_staff=True)
    login_staff(client, user)
    assert client.get(f"/{settings.ADMIN_URL}hsds/services.csv").status_code == 403
    response = client.post(f"/{settings.ADMIN_URL}hsds/import/",
                           {"table": "services", "file": io.BytesIO(b"id\n")})
    assert response.status_code == 403
