"""The public directory as HSDS 3.0 files: JSON per object type and the tabular datapackage.

Both come from the API's mapping (`api.hsds`), so they hold exactly what the API shows:
published records only, in English, never a confidential location.
"""

import csv
import io
import json
from pathlib import Path

from django.utils import translation

from api import hsds, listing
from api.openapi import load

# Each table of the tabular form: its schema file (whose `path` names its CSV file).
TABLES = ("organization", "service", "location", "address", "service_at_location", "phone",
          "schedule", "service_area", "language", "funding", "attribute", "taxonomy",
          "taxonomy_term")
# Nested arrays and objects of the JSON form, by the table their items belong to. The
# organization inside a service, the services inside an organization and the term inside
# an attribute repeat rows written elsewhere.
NESTED = {"phones": "phone", "schedules": "schedule", "service_areas": "service_area",
          "service_at_locations": "service_at_location", "languages": "language",
          "funding": "funding", "attributes": "attribute", "addresses": "address",
          "locations": "location", "location": "location"}
REPEATED = {"organization", "services", "service", "taxonomy_term"}
TABLE_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "date", "datetime", "time"}
TABLE_SCHEMA_FORMATS = {"email", "uri", "uuid"}


def table_schema(table):
    return load(f"{table}.json")


def table_path(table):
    return table_schema(table)["path"]


def columns(table):
    """The columns of a table: its schema's fields that are not arrays or objects."""
    return [name for name, field in table_schema(table)["properties"].items()
            if field.get("type") not in ("array", "object") and "$ref" not in field]


def documents():
    """The whole public directory as nested HSDS objects, one list per object type."""
    with translation.override("en"):
        organizations = list(hsds.with_organization_relations(
            hsds.public_organizations().order_by("name_en", "id")))
        services = listing.services_by_organization([org.pk for org in organizations],
                                                    full=True)
        service_list = sorted((item for items in services.values() for item in items),
                              key=lambda item: (item["name"], item["id"]))
        return {
            "organizations": [
                listing.organization_detail(org, services=[
                    {key: item[key] for key in ("id", "name", "status")}
                    for item in services[org.pk]])
                for org in organizations],
            "services": service_list,
            "service_at_locations": [at for item in service_list
                                     for at in item["service_at_locations"]],
            "taxonomies": hsds.taxonomies(),
            "taxonomy_terms": listing.all_terms(),
        }


def tables(docs=None):
    """The nested objects flattened into HSDS tables: {table: [row, ...]}, ids unique."""
    docs = docs or documents()
    rows = {table: {} for table in TABLES}

    def add(table, item):
        if table not in rows:
            return
        wanted = columns(table)
        rows[table].setdefault(item["id"], {name: item.get(name, "") for name in wanted})
        for key, value in item.items():
            if key in REPEATED or key not in NESTED:
                continue
            for child in value if isinstance(value, list) else [value]:
                add(NESTED[key], child)

    for table, key in (("organization", "organizations"), ("service", "services"),
                       ("taxonomy", "taxonomies"), ("taxonomy_term", "taxonomy_terms")):
        for item in docs[key]:
            add(table, item)
    return {table: list(found.values()) for table, found in rows.items()}


def csv_text(table, table_rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(table), lineterminator="\n")
    writer.writeheader()
    for row in table_rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return out.getvalue()


def datapackage(table_names):
    """datapackage.json for the tables written, with each field's type from HSDS."""
    resources = []
    for table in table_names:
        schema = table_schema(table)
        fields = []
        for name in columns(table):
            field = schema["properties"][name]
            kind = field.get("datapackage_type", field.get("type", "string"))
            item = {"name": name, "type": kind if kind in TABLE_SCHEMA_TYPES else "string",
                    "description": field.get("description", "")}
            if field.get("format") in TABLE_SCHEMA_FORMATS and item["type"] == "string":
                item["format"] = field["format"]
            fields.append(item)
        resources.append({
            "name": table, "path": schema["path"], "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": "id"},
        })
    return {"name": "amparo-hsds", "title": "Amparo directory (HSDS 3.0)",
            "profile": "tabular-data-package", "resources": resources}


def export_hsds(*, output_dir):
    """Write the JSON and the tabular forms into `output_dir`; return the files written."""
    output_dir = Path(output_dir)
    (output_dir / "json").mkdir(parents=True, exist_ok=True)
    docs = documents()
    written = []
    for name, items in docs.items():
        path = output_dir / "json" / f"{name}.json"
        path.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        written.append(path)
    flat = tables(docs)
    for table in TABLES:
        path = output_dir / table_path(table)
        path.write_text(csv_text(table, flat[table]), encoding="utf-8")
        written.append(path)
    path = output_dir / "datapackage.json"
    path.write_text(json.dumps(datapackage(TABLES), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    written.append(path)
    return written
