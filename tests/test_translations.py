"""The Spanish catalogue is complete, current, and compiled as committed."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.gettext

PO = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
COPY_IGNORES = shutil.ignore_patterns(".venv", ".git", "staticfiles", "node_modules",
                                      "db.sqlite3*", "__pycache__", ".secret_key")


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(line):
    quoted = line[line.index('"') + 1:line.rindex('"')]
    text, chars = [], iter(quoted)
    for char in chars:
        text.append(ESCAPES.get(next(chars, ""), "") if char == "\\" else char)
    return "".join(text)


def po_entries(path):
    """{(msgctxt, msgid, msgid_plural): (msgstrs, flags)} from a .po file."""
    entries = {}
    for block in Path(path).read_text(encoding="utf-8").split("\n\n"):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith("msg"):
                current = line.split(" ", 1)[0]
                fields[current] = _unquote(line)
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
        if "msgid" not in fields or not fields["msgid"]:
            continue
        key = (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
        strings = [value for name, value in sorted(fields.items()) if name.startswith("msgstr")]
        entries[key] = (strings, flags)
    return entries


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory):
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path_factory.mktemp("project") / "amparo"
    shutil.copytree(settings.BASE_DIR, copy, ignore=COPY_IGNORES)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location",
         "--no-obsolete", "--ignore", "tests/*", "--ignore", ".venv/*"],
        cwd=copy, check=True, capture_output=True, env={**os.environ, "DJANGO_DEBUG": "1"})
    return copy / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_every_string_of_the_code_and_no_other(fresh_catalogue):
    committed, fresh = set(po_entries(PO)), set(po_entries(fresh_catalogue))
    assert sorted(fresh - committed, key=str) == [], "run `make messages` and translate"
    assert sorted(committed - fresh, key=str) == [], "run `make messages` to drop these"


def test_every_entry_is_translated_and_none_is_fuzzy():
    problems = [key[1] for key, (strings, flags) in po_entries(PO).items()
                if "fuzzy" in flags or not all(strings)]
    assert problems == []


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext is not installed")
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    with open(compiled, "rb") as fresh, open(MO, "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(
            fresh)._catalog, "run `make messages` to recompile django.mo"
