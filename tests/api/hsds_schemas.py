"""Validators for the vendored HSDS 3.0 schemas: Draft 2020-12, formats checked."""

import functools
import json

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api.openapi import SCHEMA_DIR


@functools.cache
def _registry():
    resources = []
    for path in SCHEMA_DIR.rglob("*.json"):
        if path.name == "openapi.json":
            continue
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((relative, Resource.from_contents(
            contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@functools.cache
def validator(relative):
    """A validator for one schema file, e.g. "compiled/service.json" or "taxonomy.json"."""
    schema = _registry().contents(relative)
    return Draft202012Validator(schema, registry=_registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(instance, relative):
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator(relative).iter_errors(instance)]


def assert_valid(instance, relative):
    found = errors(instance, relative)
    assert not found, f"{relative}: " + "; ".join(found[:10])


PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"}


def assert_valid_page(body, item_schema):
    """An HSDS page: every key of the spec's Page, each item valid against `item_schema`."""
    assert set(body) == PAGE_KEYS
    for key in ("total_items", "total_pages", "page_number", "size"):
        assert isinstance(body[key], int) and not isinstance(body[key], bool)
    for key in ("first_page", "last_page", "empty"):
        assert isinstance(body[key], bool)
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert_valid(item, item_schema)
