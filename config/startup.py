"""Checks made before a server takes its first request."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_missing_sqlite_file():
    """SQLite would silently create an empty database; a server must not start on one."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return
    if not Path(name).is_file():
        raise ImproperlyConfigured(
            f"The SQLite database {name} does not exist. Run `make setup` (or "
            "`manage.py migrate`) first, or point DATABASE_URL at the right file.")
