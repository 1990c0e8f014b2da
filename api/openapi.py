"""The OpenAPI document Amparo serves: the vendored HSDS 3.0 one, made whole and exact.

The vendored `schemas/hsds-3.0/openapi.json` stays as Open Referral published it (local
`$ref`s aside); this module builds what `/api/hsds/openapi.json` answers from it:

- every schema file it refers to is bundled into `components/schemas`, so the document
  stands alone; subschemas that repeat in the compiled files become one component each,
  which keeps the same meaning at a fraction of the size;
- `info` and `servers` describe this deployment;
- each parameter says which values are accepted (a page of at most 100, a uuid, an
  RFC 3339 date-time), and `proximity`, which needs geocoding Amparo does not do, is left out;
- the answers the specification omits are added: 304, 400, 404 and 429, with the JSON
  error they carry, and the notices Amparo publishes beside HSDS.
"""

import copy
import functools
import json
import posixpath
from pathlib import Path

from django.conf import settings

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "hsds-3.0"
MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
UUID_SCHEMA = {"type": "string", "format": "uuid"}
ERROR_REF = {"$ref": "#/components/schemas/Error"}


def load(relative):
    return json.loads((SCHEMA_DIR / relative).read_text(encoding="utf-8"))


def _file_refs(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield ref
        for value in node.values():
            yield from _file_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _file_refs(value)


class _Bundler:
    """Puts referenced schema files, and the objects repeated inside them, in components."""

    def __init__(self, reserved):
        self.reserved = set(reserved)
        self.components = {}
        self.by_file = {}
        self.by_content = {}

    def file(self, relative):
        if relative not in self.by_file:
            name = posixpath.splitext(posixpath.basename(relative))[0]
            self.by_file[relative] = name
            schema = self._walk(load(relative), posixpath.dirname(relative), top=True)
            self.components[name] = schema
        return self.by_file[relative]

    def _walk(self, node, base, *, top=False):
        if isinstance(node, list):
            return [self._walk(value, base) for value in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            target = posixpath.normpath(posixpath.join(base, ref))
            walked = {key: self._walk(value, base) for key, value in node.items()
                      if key != "$ref"}
            return walked | {"$ref": f"#/components/schemas/{self.file(target)}"}
        walked = {key: self._walk(value, base) for key, value in node.items()}
        if not top and walked.get("type") == "object" and "properties" in walked \
                and isinstance(walked.get("name"), str):
            return {"$ref": f"#/components/schemas/{self._hoist(walked)}"}
        return walked

    def _hoist(self, schema):
        key = json.dumps(schema, sort_keys=True)
        if key not in self.by_content:
            base = name = schema["name"]
            number = 2
            while name in self.components or name in self.reserved:
                name = f"{base}_{number}"
                number += 1
            self.components[name] = schema
            self.by_content[key] = name
        return self.by_content[key]

    def document(self, spec):
        return self._walk(spec, "", top=True)


def _all_files(relative, seen):
    if relative in seen:
        return
    seen.add(relative)
    for ref in _file_refs(load(relative)):
        _all_files(posixpath.normpath(posixpath.join(posixpath.dirname(relative), ref)), seen)


NOTICE_SCHEMA = {
    "type": "object",
    "description": "A public notice: confirmed, found false (a correction) or information. "
                   "Reports still being checked are never here.",
    "required": ["id", "url", "title", "summary", "severity", "certainty", "published_at",
                 "expires_at", "updated_at", "call_for_location", "regions", "related"],
    "properties": {
        "id": UUID_SCHEMA,
        "url": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "body": {"type": "string", "description": "Markdown."},
        "severity": {"enum": ["urgent", "advisory", "information"]},
        "certainty": {"enum": ["confirmed", "found_false"]},
        "published_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "event_starts_at": {"type": ["string", "null"], "format": "date-time"},
        "event_ends_at": {"type": ["string", "null"], "format": "date-time"},
        "place": {"type": ["string", "null"]},
        "call_for_location": {"type": "boolean"},
        "regions": {"type": "array", "items": {"type": "string"}},
        "confirmed_by": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["id", "name"],
            "properties": {"id": UUID_SCHEMA, "name": {"type": "string"}}}]},
        "confirmed_at": {"type": ["string", "null"], "format": "date-time"},
        "corrects": {"oneOf": [{"type": "null"}, UUID_SCHEMA]},
        "related": {"type": "array", "items": {
            "type": "object", "required": ["type", "id"],
            "properties": {"type": {"enum": ["organization", "service", "location"]},
                           "id": UUID_SCHEMA}}},
    },
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["status", "detail"],
    "properties": {
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["parameter", "message"],
            "properties": {"parameter": {"type": "string"}, "message": {"type": "string"}}}},
    },
}

CACHE_HEADERS = {
    "ETag": {"description": "Changes whenever the directory does.",
             "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the directory last changed, as far as this "
                                     "server knows.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=300", "schema": {"type": "string"}},
}


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def _answers(*, has_query, has_id):
    answers = {
        "304": {"description": "Not modified: the copy named by If-None-Match or "
                               "If-Modified-Since is still current."},
        "429": {"description": "Too many requests from this client; try again after the "
                               "number of seconds in Retry-After.",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": ERROR_REF}}},
    }
    if has_query:
        answers["400"] = _error("A parameter is not valid; `errors` names each one.")
    if has_id:
        answers["404"] = _error("Nothing public has this id.")
    return answers


def _tighten_parameters(spec):
    parameters = spec["components"]["parameters"]
    parameters["page"]["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                    "default": 1}
    parameters["per_page"]["schema"] = {"type": "integer", "minimum": 1,
                                        "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}
    parameters["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    parameters["format"]["schema"] = {"type": "string", "enum": ["json"]}
    parameters["format"]["description"] += " Amparo answers `json` only."
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
        parameters[name]["schema"] = dict(UUID_SCHEMA)
    parameters["postcode"]["description"] = (
        "Only services at a public location with this ZIP code.")
    sal = spec["paths"]["/service_at_locations"]["get"]
    sal["parameters"] = [p for p in sal["parameters"]
                         if p.get("$ref") != "#/components/parameters/proximity"]
    del parameters["proximity"]
    for parameter in spec["paths"]["/taxonomy_terms"]["get"]["parameters"]:
        if parameter.get("name") == "parent_id":
            parameter["schema"] = dict(UUID_SCHEMA)


def _add_answers(spec):
    for path, item in spec["paths"].items():
        has_id = "{id}" in path
        for operation in (item.get("get"),):
            has_query = bool(operation.get("parameters"))
            ok = operation["responses"]["200"]
            ok["headers"] = copy.deepcopy(CACHE_HEADERS)
            operation["responses"].update(_answers(has_query=has_query, has_id=has_id))


def _add_notices(spec):
    page = {"$ref": "#/components/parameters/page"}
    per_page = {"$ref": "#/components/parameters/per_page"}
    spec["paths"]["/notices"] = {"get": {
        "summary": "Public notices, newest first.",
        "description": "Not part of HSDS: the notices Amparo publishes beside its directory "
                       "(confirmed, found false and information), with the HSDS ids of the "
                       "records they concern.",
        "operationId": "getPaginatedListOfNotices",
        "parameters": [page, per_page],
        "responses": {
            "200": {"description": "A page of public notices.",
                    "headers": copy.deepcopy(CACHE_HEADERS),
                    "content": {"application/json": {"schema": {
                        "allOf": [{"$ref": "#/components/schemas/Page"}],
                        "properties": {"contents": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Notice"}}}}}}},
            **_answers(has_query=True, has_id=False),
        },
    }}
    spec["components"]["schemas"]["Notice"] = NOTICE_SCHEMA
    spec["paths"]["/openapi.json"] = {"get": {
        "summary": "This document.",
        "operationId": "getOpenAPIDocument",
        "responses": {
            "200": {"description": "The OpenAPI 3.1 document of this API.",
                    "headers": copy.deepcopy(CACHE_HEADERS),
                    "content": {"application/json": {"schema": {"type": "object"}}}},
            **_answers(has_query=False, has_id=False),
        },
    }}


@functools.cache
def _bundled():
    spec = load("openapi.json")
    files = set()
    for ref in set(_file_refs(spec)):
        _all_files(ref, files)
    bundler = _Bundler(posixpath.splitext(posixpath.basename(f))[0] for f in files)
    spec = bundler.document(spec)
    _tighten_parameters(spec)
    _add_answers(spec)
    _add_notices(spec)
    spec["components"]["schemas"] |= {"Error": ERROR_SCHEMA} | dict(
        sorted(bundler.components.items()))
    return spec


def document():
    """The OpenAPI document for this deployment (SITE_URL decides `servers`)."""
    spec = copy.deepcopy(_bundled())
    spec["info"] = {
        "title": "Amparo HSDS API",
        "version": "1.0",
        "summary": "Amparo's directory as Open Referral HSDS 3.0, read-only, in English.",
        "description": (
            "Resources for immigrant families: organizations, services, hotlines, legal "
            "funds and detention facilities, as HSDS 3.0 objects, and public notices beside "
            "them. Lists are paginated (`page`, `per_page` up to 100) and their filters "
            "combine with AND. Answers carry ETag and Last-Modified, may be cached for five "
            "minutes, and each client may make a limited number of requests a minute. "
            "Confidential addresses never appear."),
        "license": {"name": "HSDS API description: CC BY-SA 4.0, Open Referral",
                    "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
    }
    spec["servers"] = [{"url": settings.SITE_URL + "/api/hsds"}]
    return spec
