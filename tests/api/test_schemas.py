"""The vendored HSDS 3.0 files are Open Referral's, and the served OpenAPI document is whole."""

import hashlib
import json

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api import openapi
from api.openapi import SCHEMA_DIR
from tests.api.hsds_schemas import validator

# sha256 of each original in shared/schemas/hsds-3.0/ (openreferral/specification, branch
# 3.0, 2024-05-16), taken over its canonical JSON (sorted keys, no spaces, UTF-8) with
# every "$ref" value blanked: the only change the vendored copies may carry.
ORIGINAL_CHECKSUMS = {
    "accessibility.json": "75c21a3c7c92e593dfe691d15c27a783facd17f1a7cf901729fb45e332045ba5",
    "address.json": "9b3790e1ca143b54687f290c7836ecd54c1e72a77a84813b8fda6d0c6140495e",
    "attribute.json": "cc2a1731e65d38239cdd592ca41b441b514110a607baea6454149aec36a9ecfe",
    "compiled/organization.json":
        "b0095c46409067d82a9d6323aa86868834f27ed45dd545795339fb35df42f3c1",
    "compiled/organization_list.json":
        "f85ab5352ec2b72ba6f9a01dc5aa425231ec24b78c048aa866d2836a97b276ae",
    "compiled/service.json": "57fbe61d063c8efc13a25a70defd05b4a6b694a3d92636c0f21cd177d6b17146",
    "compiled/service_at_location.json":
        "942c949d09b03dcf923d0961a8be9a5d6f6accdb35266cd928557dbced8d3787",
    "compiled/service_at_location_list.json":
        "6a6e4aad4ed2d8c5d85f6815e414a90d1c466490b14eae138360bf2bd7d0b907",
    "compiled/service_list.json":
        "d5f637a334f9372304b9b9105343423ed265fd1876762390d961f893f94a56ae",
    "compiled/service_with_definitions.json":
        "ffe4b030d1bf2075ed7280d2621d85b64d20ab8437acc492a9094394552496b2",
    "compiled/tabular.json": "626aa0eb8d652a0288884cc4cdd2fabc1acb5cb15e08fe568886527dbc105c67",
    "contact.json": "a62d7b572d03c87f4bc60d37a54c8b9af6fbac253f1db6a665a11263caaba7b6",
    "cost_option.json": "c4966d8f988b6e7695a3d94e90062ec4a916507d9c7f2f7c96a7c8d84d8665ac",
    "funding.json": "0307c84cde0a531dfa3dfc87dedca103a53d97e87c5ac42f16d1e18ffdeac449",
    "language.json": "dfcbf42d1a7828ef16ca0702108bdfdcbb87bcb2cb62f08fff57ed4bf4ff405b",
    "location.json": "fb0dcf8a5c91f5f8361326d24e1c2b5bd6d5398bd722cadbaa587a1a614a6364",
    "meta_table_description.json":
        "2ab1011192f2c18741a9fe0e11f74252751e3099f062301bc08250187ec03ff6",
    "metadata.json": "0a054864c6800a1ec2ea3812554ba6fc09809e1f8e0f78eccea02d58de1b1822",
    "openapi.json": "c8f3b0da83ecda027c6194daa6701d43062e6a88307ab3d156accb2fac7626eb",
    "organization.json": "168d624c35af5b6c698cec933bbc90bb6dfae2e1a35b5145515368cee1341305",
    "organization_identifier.json":
        "4e1179a98ddc39c8ac3e7dcffda02140d919fe475831358aee3f439faf7c4de6",
    "phone.json": "78ab9a1d7efd583f4b7e7984c28c7ecccc5bd7c6789ca9f9061ef33ca79cea78",
    "program.json": "b2df0b3c9848693dad11d483081d4a4b26ef83a2b48ad90a51ff7580373c00a9",
    "required_document.json": "3ca6450b8482804cb9901385d9b28f1d8371812481c9da5473dd82b3d2918c8e",
    "schedule.json": "9504181cb6532cc2b0429f42b8a9cc0b9388b1f3e613eeca5f0ad54b0ae28620",
    "service.json": "32ac9a3a2edaec1de813a616729726ae128a7ca14b5d5095e3c2fdc059e6f3a7",
    "service_area.json": "62ef357fbf86dde1f3ab6e8ad572ab5fd8c7f74d36a35f38da9603d4800bb936",
    "service_at_location.json": "80d532aa8444119f372d3b6d852cd69a4a4a38bd282ba49d332af7d245aa98f1",
    "taxonomy.json": "758fe0dabefa5efc76e7c83fea45b4c566042164f3000b72b0e6392d561d58bf",
    "taxonomy_term.json": "b9d69bad51cc04dffc5c522bf82bc50b6304e68365cd5978c2e9ae5d768b5505",
}


def _refs_blanked(node):
    if isinstance(node, dict):
        return {key: "" if key == "$ref" and isinstance(value, str) else _refs_blanked(value)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_refs_blanked(value) for value in node]
    return node


def canonical_checksum(path):
    document = _refs_blanked(json.loads(path.read_text(encoding="utf-8")))
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_vendored_schemas_are_the_originals_refs_aside():
    vendored = {path.relative_to(SCHEMA_DIR).as_posix(): path
                for path in SCHEMA_DIR.rglob("*.json")}
    assert set(vendored) == set(ORIGINAL_CHECKSUMS)
    changed = [name for name, path in vendored.items()
               if canonical_checksum(path) != ORIGINAL_CHECKSUMS[name]]
    assert changed == []
    readme = (SCHEMA_DIR / "README.md").read_text()
    assert "openreferral/specification, branch 3.0 (2024-05-16)" in readme
    assert "Creative Commons Attribution-ShareAlike 4.0" in readme


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_vendored_openapi_refers_only_to_local_files_that_exist():
    refs = set(_refs(openapi.load("openapi.json")))
    remote = {ref for ref in refs if "://" in ref}
    assert remote == set()
    for ref in refs - {ref for ref in refs if ref.startswith("#")}:
        assert (SCHEMA_DIR / ref).is_file(), ref
    assert "compiled/service_at_location.json" in refs


def test_the_served_document_stands_alone_and_names_this_server(client, settings):
    settings.SITE_URL = "https://amparo.example"
    response = client.get("/api/hsds/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["servers"] == [{"url": "https://amparo.example/api/hsds"}]
    assert document["openapi"] == "3.1.0"
    schemas = document["components"]["schemas"]
    assert all(ref.startswith("#/components/") for ref in _refs(document))
    for ref in _refs(document):
        section, name = ref.split("/")[2:4]
        assert name in document["components"][section], ref
    assert len(response.content) < 400_000
    services = document["paths"]["/services"]["get"]["responses"]
    assert set(services) == {"200", "304", "400", "429"}
    assert set(document["paths"]["/services/{id}"]["get"]["responses"]) == {
        "200", "304", "404", "429"}
    assert "/notices" in document["paths"] and "Notice" in schemas
    parameters = document["components"]["parameters"]
    assert parameters["per_page"]["schema"]["maximum"] == 100
    assert "proximity" not in parameters


def test_bundled_schemas_mean_what_the_compiled_ones_mean(client, db):
    """A compiled schema and its bundled component accept and refuse the same documents."""
    document = client.get("/api/hsds/openapi.json").json()
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(
        document, default_specification=DRAFT202012))
    bundled = Draft202012Validator({"$ref": "urn:openapi#/components/schemas/service"},
                                   registry=registry,
                                   format_checker=Draft202012Validator.FORMAT_CHECKER)
    good = {"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "name": "A", "status": "active",
            "phones": [{"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "number": "1"}]}
    bad = [good | {"status": "open"}, good | {"phones": [{"number": "1"}]},
           good | {"organization": {"id": "x", "name": "B", "description": ""}}]
    compiled = validator("compiled/service.json")
    assert compiled.is_valid(good) and bundled.is_valid(good)
    for instance in bad:
        assert not compiled.is_valid(instance)
        assert not bundled.is_valid(instance)
