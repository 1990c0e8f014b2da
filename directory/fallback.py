"""The page visitors get when the database is down: the hotline, from a file.

It is written again whenever a hotline or its menu changes (see upkeep.py), so it
always carries the current numbers without needing the database to show them.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

RETRY_AFTER_SECONDS = 60


def fallback_path(language):
    return Path(settings.STATE_DIR) / f"unavailable.{language}.html"


def write_fallback_pages():
    """Render the 503 page in every language with the current hotlines, atomically."""
    from .views import published_hotlines

    hotlines = list(published_hotlines().filter(is_featured=True).featured_first())
    Path(settings.STATE_DIR).mkdir(parents=True, exist_ok=True)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            request = RequestFactory().get(f"/{language}/")
            request.LANGUAGE_CODE = language
            html = render_to_string("503.html", {"hotlines": hotlines,
                                                 "written_at": timezone.now()},
                                    request=request)
        target = fallback_path(language)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(html)
        os.replace(temporary, target)


def unavailable_response(request):
    """The 503 answer, in the visitor's language, without touching the database."""
    language = translation.get_language_from_path(request.path_info) or \
        settings.LANGUAGE_CODE
    try:
        html = fallback_path(language).read_text(encoding="utf-8")
    except OSError:
        with translation.override(language):
            html = render_to_string("503.html", {"hotlines": []})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
