"""export_hsds: JSON and tabular HSDS that validate, hide what is private, and import back."""

import csv
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from directory import reviewing
from directory.exporting import columns, documents
from directory.importing import import_hsds, read_path
from directory.models import Hotline, Organization, PendingChange, Region
from directory.sample_data import REGIONS
from tests.api.conftest import PRIVATE_NAMES, SECRET_PLACE, SECRET_STREET, SECRET_ZIP
from tests.api.hsds_schemas import assert_valid, validator

JSON_SCHEMAS = {"organizations": "compiled/organization.json",
                "services": "compiled/service.json",
                "service_at_locations": "compiled/service_at_location.json",
                "taxonomies": "taxonomy.json", "taxonomy_terms": "taxonomy_term.json"}


def test_export_writes_valid_json_and_a_datapackage(hsds_directory, tmp_path):
    call_command("export_hsds", str(tmp_path), stdout=open("/dev/null", "w"))
    for name, schema in JSON_SCHEMAS.items():
        items = json.loads((tmp_path / "json" / f"{name}.json").read_text())
        assert items, name
        for item in items:
            assert_valid(item, schema)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["profile"] == "tabular-data-package"
    tabular = validator("compiled/tabular.json")
    for resource in package["resources"]:
        with open(tmp_path / resource["path"], newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == [f["name"] for f in resource["schema"]["fields"]]
            assert reader.fieldnames == columns(resource["name"])
            rows = [{key: value for key, value in row.items() if value} for row in reader]
        # The tabular schema types numbers as numbers; a CSV cell is text until read.
        typed = [{key: float(value) if key in ("latitude", "longitude", "extension")
                  else value for key, value in row.items()} for row in rows]
        tabular_errors = list(tabular.iter_errors({resource["name"]: typed}))
        assert [e.message for e in tabular_errors if "is a required property" in e.message
                and "'id'" in e.message] == []
    services = (tmp_path / "services.csv").read_text()
    assert "Colorado Immigrant Rights Coalition hotline" in services
    phones = (tmp_path / "phones.csv").read_text()
    assert "+18448648341" in phones and "Press 2: Report ICE activity" in phones


def test_no_confidential_place_or_private_person_in_any_export(hsds_directory, tmp_path):
    call_command("export_hsds", str(tmp_path), stdout=open("/dev/null", "w"))
    text = "\n".join(path.read_text() for path in tmp_path.rglob("*") if path.is_file())
    for secret in (SECRET_STREET, SECRET_PLACE, SECRET_ZIP, "39.700001", "Draft service",
                   "Unpublished group", "Orphan service", *PRIVATE_NAMES):
        assert secret not in text


def test_staff_download_services_and_organizations_as_csv(admin_client, hsds_directory):
    from django.conf import settings

    for table, expected in (("services", "Walk-in legal clinic"),
                            ("organizations", "The GEO Group")):
        response = admin_client.get(f"/{settings.ADMIN_URL}hsds/{table}.csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert f'filename="{table}.csv"' in response["Content-Disposition"]
        text = response.content.decode()
        assert expected in text and SECRET_STREET not in text
        assert text.splitlines()[0].startswith("id,")


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What an import does not carry back: checking is done by people, not by files, and the
# time of the last change is the import's own.
NOT_CARRIED = {"assured_date", "assurer_email", "last_modified"}
# A menu option's check date and hours note are told in its phone's description only.
CHECKED_ON = re.compile(r" — last checked on \d{4}-\d{2}-\d{2}")
MENU_NOTES = re.compile(r"(Press [0-9*#,]+: [^.(]*) \([^)]*\)")


def comparable(docs, record_ids):
    """The export with what an import cannot keep set aside.

    Location rows have no UUID of their own (theirs derives from their key, which a new
    database gives anew), so ids other than the records' are renamed in order of
    appearance; record ids must match exactly.
    """
    def walk(node):
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items() if key not in NOT_CARRIED}
        if isinstance(node, list):
            items = [walk(item) for item in node
                     if not (isinstance(item, dict)
                             and item.get("taxonomy_term", {}).get("code") == "assured-by")]
            if items and isinstance(items[0], dict) and "taxonomy_term_id" in items[0]:
                items.sort(key=lambda item: (item["taxonomy_term_id"], item.get("value", "")))
            if items and isinstance(items[0], dict) and "taxonomy_id" in items[0]:
                items.sort(key=lambda item: item["id"])  # a category's position is Amparo's
            return items
        return node

    text = json.dumps(walk(docs), sort_keys=True, ensure_ascii=False)
    text = MENU_NOTES.sub(r"\1", CHECKED_ON.sub("", text))
    renamed = {}
    return UUID.sub(lambda m: m.group() if m.group() in record_ids else renamed.setdefault(
        m.group(), f"id-{len(renamed)}"), text)


def _empty_the_database():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE refuses to run with checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.clear_cache()  # the ids it remembers are gone with the flush
    regions = {}
    # HSDS cannot say how regions nest, so a new deployment sets them up first.
    for item in REGIONS:
        values = dict(item)
        parent = values.pop("parent")
        regions[values["slug"]] = Region.objects.create(
            **values, parent=regions[parent] if parent else None)


@pytest.fixture
def content_types_forgotten_after():
    """The flush below gives content types new ids, which the rollback at the end undoes:
    the ids cached meanwhile must not outlive the test either."""
    yield
    ContentType.objects.clear_cache()


@pytest.mark.usefixtures("content_types_forgotten_after")
def test_export_then_import_into_an_empty_database_gives_the_same_hsds(hsds_directory,
                                                                       tmp_path):
    before = documents()
    record_ids = {item["id"] for key in ("organizations", "services", "taxonomy_terms",
                                         "taxonomies") for item in before[key]}
    record_ids |= {place["id"] for org in before["organizations"] for place in org["locations"]
                   if any(a.get("value") == "detention_facility"
                          for a in place.get("attributes", []))}
    call_command("export_hsds", str(tmp_path), stdout=open("/dev/null", "w"))
    _empty_the_database()
    assert not Organization.objects.exists()

    report = import_hsds(files=read_path(tmp_path))
    assert report.problems == []
    # Numbers, menu options, donation links and addresses new to this database wait for a
    # second person.
    waiting = PendingChange.objects.waiting()
    assert {str(change.target) for change in waiting} >= {
        "Colorado Immigrant Rights Coalition hotline", "Westside office", "Press 1: English"}
    assert documents() != before
    assert not Hotline.objects.published().filter(
        name_en="Colorado Immigrant Rights Coalition hotline").exists()
    # The flush took the staff groups too; a superuser is a second person.
    second_person = get_user_model().objects.create_superuser("second", password=None)
    for change in waiting:
        reviewing.approve(change, user=second_person)
    after = documents()
    assert comparable(after, record_ids) == comparable(before, record_ids)
    assert Hotline.objects.get(name_en="Colorado Immigrant Rights Coalition hotline"
                               ).last_verified_on is None
    call_command("export_hsds", str(tmp_path / "again"), stdout=open("/dev/null", "w"))
    again = import_hsds(files=read_path(tmp_path / "again"))
    assert again.problems == [] and again.changes == []
