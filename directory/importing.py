"""Importing HSDS 3.0 tables (the CSV files `export_hsds` writes): all of it or nothing.

`import_hsds()` is the one way in, for `manage.py import_hsds` and the admin's CSV upload.
It reads every file, creates or updates each record by its HSDS id inside one
transaction, and collects every problem with its file, row and field. If there is any
problem, or if it is a dry run, the transaction is rolled back: nothing is written, and
the report says what would have changed.

What an import never does: mark a record checked (`last_verified_on`, `verified_by` and a
menu option's `last_checked_on` stay as they were, since an import is not a check), touch
a confidential location, or publish or unpublish a record. Nor does it skip the two-person
rule (`reviewing`): a changed hotline number, address or donation link waits for a second
person as it would from the admin, and a new hotline or legal fund with a number or link,
or a new address, is saved hidden until then. A table left out of the import
leaves what it holds alone; a table that is there replaces, for each record of the
import, the rows it holds (phones, hours, areas served, languages, categories, place).
"""

import csv
import datetime
import io
import posixpath
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from api import hsds

from . import reviewing
from .exporting import TABLES, table_path, table_schema
from .models import (
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
    Region,
    Service,
    ServiceHours,
)
from .models.organizations import normalize_sms_number

TABLE_BY_FILE = {table_path(table): table for table in TABLES}
RECORD_TYPES = {"service": Service, "hotline": Hotline, "legal_fund": LegalFund}
# The model field behind each HSDS column, to put a model's own error on the right column.
COLUMN_OF_FIELD = {"name_en": "name", "description_en": "description", "website": "url",
                   "eligibility_en": "eligibility_description", "official_name": "name",
                   "how_to_get_it_en": "application_process", "email": "email",
                   "organization": "organization_id", "operator": "organization_id",
                   "kind": "attributes (kind)", "purpose_en": "attributes (hotline-purpose)",
                   "phone": "phones (number)", "short_code": "phones (number)"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    field: str
    message: str

    def __str__(self):
        where = self.file if self.row is None else _("%(file)s, row %(row)s") % {
            "file": self.file, "row": self.row}
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Change:
    action: str  # "create" or "update"
    kind: str
    name: str
    fields: tuple
    # Fields held for a second person's approval (the two-person rule), by name.
    held: tuple = ()

    def __str__(self):
        if self.action == "create":
            text = _("Create %(kind)s “%(name)s”") % {"kind": self.kind, "name": self.name}
        else:
            text = _("Update %(kind)s “%(name)s”: %(fields)s") % {
                "kind": self.kind, "name": self.name, "fields": ", ".join(self.fields)}
        if self.held:
            text += " " + _("(waits for a second person to approve: %(fields)s)") % {
                "fields": ", ".join(self.held)}
        return text


@dataclass
class ImportReport:
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self):
        return not self.problems and not self.dry_run


@dataclass(frozen=True)
class Row:
    file: str
    number: int
    values: dict

    def __getitem__(self, name):
        return (self.values.get(name) or "").strip()


def read_path(path):
    """The files of an export directory (CSV tables), or one CSV file, as {name: bytes}."""
    path = Path(path)
    if path.is_dir():
        return {item.name: item.read_bytes() for item in sorted(path.glob("*.csv"))}
    return {path.name: path.read_bytes()}


def import_hsds(*, files, dry_run=False, table=None, user=None):
    """Import HSDS CSV tables, all or nothing; return an `ImportReport`.

    `files` maps file names to their bytes; each file's name says its table
    (services.csv, phones.csv, …) unless `table` names the one table they all hold.
    `user` is who asks for the changes that wait for a second person (None: the command
    line), who then may not approve them.
    """
    importer = _Importer(user)
    with translation.override("en"):
        importer.read(files, table=table)
        if not importer.problems:
            with transaction.atomic():
                importer.apply()
                if importer.problems or dry_run:
                    transaction.set_rollback(True)
    return ImportReport(problems=importer.problems, changes=importer.changes, dry_run=dry_run)


class _Importer:
    def __init__(self, user=None):
        self.user = user
        self.problems = []
        self.changes = []
        self.tables = {}
        self.organizations = {}
        self.locations = {}

    def problem(self, where, column, message):
        if isinstance(where, Row):
            self.problems.append(Problem(where.file, where.number, column, str(message)))
        else:
            self.problems.append(Problem(where, None, column, str(message)))

    # Reading.

    def read(self, files, *, table=None):
        for name, data in files.items():
            if name == "datapackage.json":
                continue
            found = table or TABLE_BY_FILE.get(posixpath.basename(name))
            if found is None:
                self.problem(name, "", _("Not an HSDS table. Name the file after its table, "
                                         "e.g. services.csv or phones.csv."))
                continue
            self._read_table(name, data, found)

    def _read_table(self, name, data, table):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problem(name, "", _("The file is not UTF-8 text (byte %(byte)s). Save it as "
                                     "“CSV UTF-8” and upload it again.") % {
                                         "byte": error.start + 1})
            return
        schema = table_schema(table)
        known = set(schema["properties"])
        required = {"id", *schema.get("required", ()), *schema.get("tabular_required", ())}
        required &= {name for name, spec in schema["properties"].items()
                     if spec.get("type") not in ("array", "object")}
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        last_line = 1
        try:
            header = reader.fieldnames
            if not header:
                self.problem(name, "", _("The file is empty: it needs a header row."))
                return
            for column in sorted(required - set(header)):
                self.problem(name, column, _("This column is missing; the header must "
                                             "name it."))
            for column in [column for column in header if column not in known]:
                self.problem(name, column, _("Not a column of the HSDS %(table)s table.")
                             % {"table": table})
            rows = []
            for values in reader:
                row = Row(name, last_line + 1, values)
                last_line = reader.line_num
                if None in values or None in values.values():
                    self.problem(row, "", _("This row does not have as many cells as the "
                                            "header."))
                    continue
                rows.append(row)
        except csv.Error as error:
            self.problem(Row(name, last_line + 1, {}), "", _("Not valid CSV: %(error)s")
                         % {"error": error})
            return
        self.tables.setdefault(table, []).extend(rows)

    # Values.

    def uuid(self, row, column, *, required=True):
        value = row[column].lower()
        if not value:
            if required:
                self.problem(row, column, _("This is required."))
            return None
        if not hsds_id_is_valid(value):
            self.problem(row, column, _("Not an id: write a UUID such as "
                                        "3f7b145d-84af-42d7-8fae-eaca714b02b2."))
            return None
        return value

    def required(self, row, column):
        value = row[column]
        if not value:
            self.problem(row, column, _("This is required."))
        return value

    def phone_number(self, row):
        """(phone, short code) from a phones.csv row, or None after a problem."""
        number = row["number"]
        try:
            parsed = phonenumbers.parse(number, "US")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), ""
        if number.isdigit() and parsed is not None and \
                phonenumbers.shortnumberinfo.is_valid_short_number_for_region(parsed, "US"):
            return "", number
        self.problem(row, "number", _("“%(number)s” is not a phone number. Write it in full, "
                                      "e.g. +1 844 864 8341 or 1-844-864-8341, or a short "
                                      "number such as 211.") % {"number": number})
        return None

    def rows(self, table):
        return self.tables.get(table, [])

    def has(self, table):
        return table in self.tables

    def children(self, table, column):
        found = defaultdict(list)
        for row in self.rows(table):
            if row[column]:
                found[row[column].lower()].append(row)
        return found

    # Applying, in the order references need.

    def apply(self):
        self.attributes = self.children("attribute", "link_id")
        self.phones = {owner: self.children("phone", f"{owner}_id")
                       for owner in ("service", "organization", "location")}
        self.schedules = {owner: self.children("schedule", f"{owner}_id")
                          for owner in ("service", "location")}
        self.languages = {owner: self.children("language", f"{owner}_id")
                          for owner in ("service", "location")}
        self.areas = self.children("service_area", "service_id")
        self.funding = self.children("funding", "service_id")
        self.addresses = self.children("address", "location_id")
        self.service_at_locations = self.children("service_at_location", "service_id")
        self._check_children()
        self._categories()
        for row in self.rows("organization"):
            self._organization(row)
        for row in self.rows("organization"):
            self._parent(row)
        existing_locations = {hsds.location_id(place): place for place in Location.objects.all()}
        for row in self.rows("location"):
            self._location(row, existing_locations)
        for row in self.rows("service"):
            self._service(row)

    def _check_children(self):
        """Rows of child tables belong to a record of the same import: name the lost ones."""
        parents = {table: {row["id"].lower() for row in self.rows(table)}
                   for table in ("organization", "service", "location", "phone")}
        links = [("phone", "service_id", "service"), ("phone", "organization_id", "organization"),
                 ("phone", "location_id", "location"), ("schedule", "service_id", "service"),
                 ("schedule", "location_id", "location"), ("language", "service_id", "service"),
                 ("language", "location_id", "location"),
                 ("service_area", "service_id", "service"), ("funding", "service_id", "service"),
                 ("address", "location_id", "location"),
                 ("service_at_location", "service_id", "service"),
                 ("service_at_location", "location_id", "location")]
        for table, column, parent in links:
            for row in self.rows(table):
                value = row[column].lower()
                if value and value not in parents[parent]:
                    self.problem(row, column, _("No %(parent)s in this import has this id. Add "
                                                "its row to %(file)s.") % {
                                                    "parent": parent, "file": table_path(parent)})
        for row in self.rows("attribute"):
            entity = row["link_entity"]
            if entity not in parents:
                self.problem(row, "link_entity", _("Write organization, service, location or "
                                                   "phone."))
            elif row["link_id"].lower() not in parents[entity]:
                self.problem(row, "link_id", _("No %(parent)s in this import has this id.")
                             % {"parent": entity})

    def _categories(self):
        for row in self.rows("taxonomy_term"):
            if row["taxonomy_id"].lower() != hsds.CATEGORY_TAXONOMY_ID:
                continue
            code = self.required(row, "code")
            if code and row["id"].lower() != hsds.category_term_id(code):
                self.problem(row, "id", _("This id does not belong to the category “%(code)s”; "
                                          "Amparo's category ids come from their codes.")
                             % {"code": code})
                continue
            if code:
                category = Category.objects.filter(slug=code).first() or Category(slug=code)
                self._save(category, row, {"name_en": self.required(row, "name"),
                                           "description_en": row["description"]},
                           name=row["name"])
        self.category_by_term = hsds.categories_by_term_id()

    def _facts(self, row, hsds_id):
        """The categories and the facts the attributes table gives a record."""
        categories, facts = [], defaultdict(list)
        for attribute in self.attributes.get(hsds_id, []):
            term_id = attribute["taxonomy_term_id"].lower()
            code = {hsds.fact_term_id(code): code for code in hsds.FACT_CODES}.get(term_id)
            if code:
                facts[code].append(attribute["value"])
            elif term_id in self.category_by_term:
                categories.append(self.category_by_term[term_id])
            else:
                self.problem(attribute, "taxonomy_term_id", _(
                    "No Amparo category or record fact has this term id; categories are "
                    "listed in taxonomy_terms.csv."))
        return categories, facts

    def _text_values(self, record, row):
        """HSDS has one description: leave the record's text alone when it did not change."""
        description = row["description"]
        if record.pk and not record._state.adding and description == hsds._text(record):
            return {}
        return {"description_en": description}

    def _slug(self, model, name):
        base = slugify(name)[:180] or model._meta.model_name
        slug, number = base, 2
        while model.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug

    def _save(self, obj, row, values, *, name, m2m=None):
        """Set `values` on `obj`, validate and save it; note the change; False on problems."""
        if any((p.file, p.row) == (row.file, row.number) for p in self.problems):
            return False  # its problems are reported; its model's would repeat them
        adding = obj._state.adding
        changed = [key for key, value in values.items() if _differs(obj, key, value)]
        for key in changed:
            setattr(obj, key, values[key])
        if adding and hasattr(obj, "slug") and not obj.slug:
            obj.slug = self._slug(type(obj), name)
        if adding or changed:
            try:
                obj.full_clean()
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    self.problem(row, COLUMN_OF_FIELD.get(key, key), " ".join(messages))
                return False
            pending = reviewing.save_and_hold(obj, user=self.user)
        else:
            pending = None
        for key, items in (m2m or {}).items():
            manager = getattr(obj, key)
            if adding or set(manager.values_list("pk", flat=True)) != {i.pk for i in items}:
                manager.set(items)
                changed.append(key)
        if adding or changed:
            self.changes.append(Change("create" if adding else "update",
                                       str(obj._meta.verbose_name), name, tuple(changed),
                                       held=tuple(pending.changes) if pending else ()))
        return True

    def _organization_ref(self, row, column, *, required=True):
        pk = self.uuid(row, column, required=required)
        if pk is None:
            return None
        org = self.organizations.get(pk) or Organization.objects.filter(pk=pk).first()
        if org is None:
            self.problem(row, column, _("No organization has this id. Add it to "
                                        "organizations.csv, or create it in the admin first."))
        return org

    def _phone_values(self, owner, hsds_id):
        """The phone fields from a record's first voice phone, when phones.csv is there."""
        if not self.has("phone"):
            return {}
        values = {"phone": "", "phone_extension": "", "short_code": ""}
        voices = [row for row in self.phones[owner].get(hsds_id, [])
                  if row["type"] in ("", "voice")]
        if voices:
            row = voices[0]
            found = self.phone_number(row)
            if found:
                values["phone"], values["short_code"] = found
            extension = row["extension"]
            if extension and not extension.isdigit():
                self.problem(row, "extension", _("An extension has digits only, e.g. 123."))
            values["phone_extension"] = extension
        return values

    def _organization(self, row):
        pk = self.uuid(row, "id")
        name = self.required(row, "name")
        if pk is None:
            return
        org = Organization.objects.filter(pk=pk).first() or Organization(id=pk)
        if org._state.adding:
            # An organization exported by Amparo keeps its address: its uri ends in its slug.
            slug = row["uri"].rstrip("/").rsplit("/", 1)[-1]
            if slug and slug == slugify(slug) and not Organization.objects.filter(
                    slug=slug).exists():
                org.slug = slug
        categories, facts = self._facts(row, pk)
        values = {"name_en": name, "email": row["email"], "website": row["website"],
                  **self._text_values(org, row), **self._phone_values("organization", pk)}
        kinds = facts.get("organization-kind")
        if kinds:
            values["kind"] = kinds[0]
        elif org._state.adding:
            self.problem(row, "id", _("A new organization needs its kind: an "
                                      "organization-kind attribute in attributes.csv."))
            return
        m2m = {"categories": categories} if self.has("attribute") else None
        if self._save(org, row, values, name=name, m2m=m2m):
            self.organizations[pk] = org

    def _parent(self, row):
        org = self.organizations.get(row["id"].lower())
        if org is None:
            return
        parent = self._organization_ref(row, "parent_organization_id", required=False)
        if parent is None and row["parent_organization_id"]:
            return
        if org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            org.save(update_fields=["parent"])
            self.changes.append(Change("update", str(org._meta.verbose_name), org.name_en,
                                       ("parent",)))

    def _address_values(self, hsds_id):
        rows = self.addresses.get(hsds_id, [])
        if not rows:
            return {"street_address": "", "city": "", "state": "", "postal_code": "",
                    "region": None}
        row = rows[0]
        region = None
        if row["region"]:
            region = Region.objects.filter(name_en=row["region"]).first()
            if region is None:
                self.problem(row, "region", _("No region is called this. Add it in the admin "
                                              "first, or leave the cell empty."))
        return {"street_address": row["address_1"], "city": row["city"],
                "state": row["state_province"], "postal_code": row["postal_code"],
                "region": region}

    def _coordinates(self, row):
        values = {}
        for column in ("latitude", "longitude"):
            try:
                values[column] = Decimal(row[column]).quantize(Decimal("0.000001")) \
                    if row[column] else None
            except InvalidOperation:
                self.problem(row, column, _("Write a number such as 39.7392."))
        return values

    def _location(self, row, existing):
        pk = self.uuid(row, "id")
        if pk is None:
            return
        categories, facts = self._facts(row, pk)
        facility = DetentionFacility.objects.filter(pk=pk).first()
        if facility or facts.get("record-type") == ["detention_facility"]:
            self._facility(row, pk, facility or DetentionFacility(id=pk), categories, facts)
            return
        place = existing.get(pk) or Location()
        if place.is_confidential and not reviewing.waits_to_go_public(place):
            self.problem(row, "id", _("This location is confidential: change it in the admin."))
            return
        name = self.required(row, "name")
        values = {"name_en": name, "access_notes_en": row["description"],
                  **self._coordinates(row)}
        values["organization"] = self._organization_ref(row, "organization_id", required=False)
        if self.has("address"):
            values |= self._address_values(pk)
        if self._save(place, row, values, name=name):
            self.locations[pk] = place
            self._hours(place, LocationHours, "location", pk)

    def _facility(self, row, pk, facility, categories, facts):
        name = self.required(row, "name")
        values = {"official_name": name, "name_en": row["alternate_name"] or name,
                  "website": row["url"], **self._text_values(facility, row),
                  **self._phone_values("location", pk)}
        values["operator"] = self._organization_ref(row, "organization_id")
        if self.has("attribute"):
            values |= {"kind": _first(facts, "facility-kind"),
                       "other_names": "\n".join(facts.get("other-name", [])),
                       "visiting_rules_en": _first(facts, "visiting-rules"),
                       "how_to_find_someone_en": _first(facts, "how-to-find-someone"),
                       "locator_url": _first(facts, "detainee-locator")}
            authority = _first(facts, "holding-authority").lower()
            if authority:
                values["authority"] = self.organizations.get(authority) or \
                    Organization.objects.filter(pk=authority).first()
                if values["authority"] is None:
                    self.problem(row, "id", _("Its holding-authority attribute names no "
                                              "organization."))
                    return
        if facility._state.adding and "authority" not in values:
            self.problem(row, "id", _("A new detention facility needs a holding-authority "
                                      "attribute naming the organization it holds people for."))
            return
        if values["operator"] is None:
            return
        if self.has("address") and self.addresses.get(pk):
            place = facility.location or Location(name_en=name)
            if place.is_confidential and not reviewing.waits_to_go_public(place):
                self.problem(row, "id", _("This facility's address is confidential: change it "
                                          "in the admin."))
                return
            if self._save(place, row, {**self._address_values(pk), **self._coordinates(row)},
                          name=name):
                values["location"] = place
        m2m = {"categories": categories} if self.has("attribute") else {}
        if self.has("language"):
            m2m["languages"] = self._languages("location", pk)
        self._save(facility, row, values, name=name, m2m=m2m)

    def _languages(self, owner, hsds_id):
        found = []
        for row in self.languages[owner].get(hsds_id, []):
            code = self.required(row, "code")
            if code:
                language = Language.objects.filter(code=code).first()
                if language is None:
                    language = Language(code=code)
                    self._save(language, row, {"name_en": row["name"] or code},
                               name=row["name"] or code)
                found.append(language)
        return found

    def _hours(self, owner_obj, model, owner, hsds_id):
        if not self.has("schedule"):
            return
        wanted = {}
        for row in self.schedules[owner].get(hsds_id, []):
            found = self._schedule(row)
            if found:
                wanted[found] = row
        relation = owner_obj.hours
        current = sorted(((h.weekday, h.opens, h.closes, h.is_24_hours, h.is_closed)
                          for h in relation.all()), key=_hours_key)
        if current == sorted(wanted, key=_hours_key):
            return
        relation.all().delete()
        for (weekday, opens, closes, is_24_hours, is_closed), row in wanted.items():
            hours = model(**{owner_obj._meta.model_name: owner_obj}, weekday=weekday,
                          opens=opens, closes=closes, is_24_hours=is_24_hours,
                          is_closed=is_closed)
            try:
                hours.full_clean()
            except ValidationError as error:
                self.problem(row, "opens_at", " ".join(error.messages))
                continue
            hours.save()
        self.changes.append(Change("update", str(owner_obj._meta.verbose_name),
                                   str(owner_obj), ("hours",)))

    def _schedule(self, row):
        day = row["byday"].upper()
        if row["freq"] not in ("", "WEEKLY") or day not in hsds.WEEKDAYS:
            self.problem(row, "byday", _("Amparo keeps weekly hours: write freq WEEKLY and one "
                                         "day in byday, e.g. MO."))
            return None
        weekday = hsds.WEEKDAYS.index(day)
        if not row["opens_at"] and not row["closes_at"]:
            if row["description"].lower().endswith("closed"):
                return (weekday, None, None, False, True)
            self.problem(row, "opens_at", _("Give opens_at and closes_at, e.g. 09:00:00, or "
                                            "describe the day as closed."))
            return None
        try:
            opens = datetime.time.fromisoformat(row["opens_at"])
            closes = datetime.time.fromisoformat(row["closes_at"])
        except ValueError:
            self.problem(row, "opens_at", _("Write times as 09:00:00."))
            return None
        if (opens, closes) == (hsds.DAY_OPENS, hsds.DAY_CLOSES):
            return (weekday, None, None, True, False)
        return (weekday, opens, closes, False, False)

    def _service(self, row):
        pk = self.uuid(row, "id")
        name = self.required(row, "name")
        if pk is None:
            return
        if row["status"] != "active":
            self.problem(row, "status", _("Amparo imports active services only. To take one "
                                          "down, unpublish it in the admin."))
        existing = next((found for model in RECORD_TYPES.values()
                         if (found := model.objects.filter(pk=pk).first())), None)
        categories, facts = self._facts(row, pk)
        record_type = _first(facts, "record-type") or (
            {model: key for key, model in RECORD_TYPES.items()}[type(existing)]
            if existing else "service")
        model = RECORD_TYPES.get(record_type)
        if model is None or (existing and type(existing) is not model):
            self.problem(row, "id", _("Its record-type attribute does not match this record."))
            return
        record = existing or model(id=pk)
        values = {"name_en": name, "website": row["url"], **self._text_values(record, row)}
        values["organization"] = self._organization_ref(row, "organization_id")
        if values["organization"] is None:
            return
        if model in (Service, LegalFund):
            values |= {"eligibility_en": row["eligibility_description"],
                       "how_to_get_it_en": row["application_process"]}
        if model is Service:
            values["cost"] = self._cost(row)
            values |= self._phone_values("service", pk)
            if self.has("attribute"):
                values["legal_help_by"] = _first(facts, "legal-help-by")
        elif model is Hotline:
            values |= self._phone_values("service", pk) | self._sms(pk)
            if self.has("attribute") or record._state.adding:
                values["purpose_en"] = _first(facts, "hotline-purpose")
        else:
            if self.has("funding"):
                sources = self.funding.get(pk, [])
                values["pays_for_en"] = sources[0]["source"] if sources else ""
            if self.has("attribute") or record._state.adding:
                values["kind"] = _first(facts, "legal-fund-kind")
                values["donate_url"] = _first(facts, "donation-link")
        if model is Service and self.has("service_at_location"):
            values |= self._place(row, record, pk)
        m2m = {"categories": categories} if self.has("attribute") else {}
        if self.has("language"):
            m2m["languages"] = self._languages("service", pk)
        if self.has("service_area"):
            m2m["areas_served"] = self._regions(pk)
        if not self._save(record, row, values, name=name, m2m=m2m):
            return
        if model is not LegalFund:
            self._hours(record, ServiceHours if model is Service else HotlineHours, "service",
                        pk)
        if model is Hotline and self.has("phone"):
            self._menu_options(record, pk)

    def _cost(self, row):
        text = row["fees_description"]
        if not text:
            return ""
        for value, label in Service.Cost.choices:
            if text.lower() in (value, str(label).lower()):
                return value
        self.problem(row, "fees_description", _("Write Free, Sliding scale or Paid, or leave "
                                                "the cell empty."))
        return ""

    def _sms(self, pk):
        if not self.has("phone"):
            return {}
        texts = [row for row in self.phones["service"].get(pk, []) if row["type"] == "text"]
        if not texts:
            return {"sms_number": ""}
        try:
            return {"sms_number": normalize_sms_number(texts[0]["number"])}
        except ValidationError as error:
            self.problem(texts[0], "number", " ".join(error.messages))
            return {}

    def _menu_options(self, hotline, pk):
        wanted = []
        for row in self.phones["service"].get(pk, []):
            for attribute in self.attributes.get(row["id"].lower(), []):
                if attribute["taxonomy_term_id"].lower() != hsds.fact_term_id("phone-menu-option"):
                    continue
                digits, separator, purpose = attribute["value"].partition(": ")
                if not separator or not purpose:
                    self.problem(attribute, "value", _("Write a menu option as “digits: what "
                                                       "it is for”, e.g. “2: Report ICE "
                                                       "activity”."))
                    continue
                wanted.append((digits, purpose, attribute))
        current = {option.digits: option for option in hotline.menu_options.all()}
        # An option waiting for a second person is never exported, so a file without it
        # leaves it alone.
        in_file = {digits for digits, _purpose, _row in wanted}
        compared = [o for o in current.values() if o.is_published or o.digits in in_file]
        if sorted((d, p) for d, p, _row in wanted) == sorted(
                (o.digits, o.purpose_en) for o in compared):
            return
        kept, held_options = set(), []
        for position, (digits, purpose, attribute) in enumerate(wanted):
            # The option keeps the day someone last heard it: an import is not a check.
            option = current.get(digits) or HotlineMenuOption(hotline=hotline, digits=digits)
            option.purpose_en, option.position = purpose, position
            try:
                option.full_clean()
            except ValidationError as error:
                self.problem(attribute, "value", " ".join(error.messages))
                continue
            if reviewing.save_and_hold(option, user=self.user):
                held_options.append(str(option))
            kept.add(option.pk)
        hotline.menu_options.filter(is_published=True).exclude(pk__in=kept).delete()
        self.changes.append(Change("update", str(hotline._meta.verbose_name), hotline.name_en,
                                   ("menu options",), held=tuple(held_options)))

    def _place(self, row, record, pk):
        rows = self.service_at_locations.get(pk, [])
        if not rows:
            if record.location is not None and record.location.is_confidential:
                return {}  # a confidential place is never exported, so never cleared
            return {"location": None}
        location_id = rows[0]["location_id"].lower()
        place = self.locations.get(location_id)
        if place is None:
            self.problem(rows[0], "location_id", _("No location in locations.csv has this id."))
            return {}
        return {"location": place}

    def _regions(self, pk):
        found = []
        for row in self.areas.get(pk, []):
            slug = row["uri"].rstrip("/").rsplit("/", 1)[-1] if row["uri"] else ""
            region = (Region.objects.filter(slug=slug).first() if slug else None) or \
                Region.objects.filter(name_en=row["name"]).first()
            if region is None:
                self.problem(row, "name", _("No region is called this. Add it in the admin "
                                            "first."))
            else:
                found.append(region)
        return found


def _first(facts, code):
    values = facts.get(code) or [""]
    return values[0]


def _hours_key(item):
    return (item[0], item[1] or datetime.time.min, item[2] or datetime.time.min, item[3],
            item[4])


def _differs(obj, name, value):
    model_field = obj._meta.get_field(name)
    current = getattr(obj, model_field.attname)
    if model_field.is_relation:
        return current != (value.pk if value is not None else None)
    if name == "phone":
        return (current.as_e164 if current else "") != value
    if value == "" and current is None:  # translated text fields hold NULL for “not written”
        return False
    return current != value


def hsds_id_is_valid(value):
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
