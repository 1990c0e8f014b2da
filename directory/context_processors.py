from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def languages(request):
    """This page in every language: for the switch and the hreflang alternates."""
    path = request.get_full_path()
    alternates = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        alternates.append({
            "code": code,
            "name_local": get_language_info(code)["name_local"],
            "path": url,
            "url": settings.SITE_URL + url,
            "is_translated": url != path,
        })
    return {"alternates": alternates, "site_url": settings.SITE_URL}
