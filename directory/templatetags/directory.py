from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def fallback_lang(record, field):
    """` lang="en"` where the reader's language has no text and English shows instead."""
    language = get_language()
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if language == default:
        return ""
    if getattr(record, f"{field}_{language}", "") or not getattr(record, f"{field}_{default}", ""):
        return ""
    return mark_safe(f' lang="{default}"')


@register.filter
def is_translation(policy):
    """Whether the quote shown is a translation of the words as said."""
    language = get_language()
    return language != policy.quote_language and bool(getattr(policy, f"quote_{language}", ""))
