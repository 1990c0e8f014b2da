"""Upkeep that must follow every write to the directory, wherever it comes from.

Pages and feeds cached later key on the content version, and search reads its own index;
any save, delete or many-to-many change moves the version on and updates the index, and a
QuerySet.update() path calls `content_changed()` and `search.update_index()` itself.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import search
from .fallback import write_fallback_pages

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "content-version"
WATCHED_APPS = {"directory", "alerts"}
# Writes to these change what the database-down page says.
FALLBACK_MODELS = {"directory.hotline", "directory.hotlinemenuoption"}
# The index itself, written only by directory.search.
INDEX_MODELS = {model._meta.label_lower for model in search.INDEX_MODELS}


def content_version():
    return cache.get_or_set(CONTENT_VERSION_KEY, 1, timeout=None)


def content_changed():
    """Move the content version on, so nothing cached before the write is served again."""
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, timeout=None)


def _is_watched(sender):
    meta = getattr(sender, "_meta", None)
    return (meta is not None and meta.app_label in WATCHED_APPS
            and not meta.model_name.startswith("historical")
            and meta.label_lower not in INDEX_MODELS)


@receiver(post_save)
@receiver(post_delete)
def _record_written(sender, **kwargs):
    if _is_watched(sender):
        content_changed()
        if not kwargs.get("raw"):  # loaddata: the data may be half there; rebuild after it
            search.update_index([kwargs["instance"]])
        if sender._meta.label_lower in FALLBACK_MODELS and not kwargs.get("raw"):
            transaction.on_commit(_rewrite_fallback_pages)


@receiver(m2m_changed)
def _relation_written(sender, action, **kwargs):
    if action.startswith("post_") and _is_watched(kwargs["model"]):
        content_changed()
        if kwargs["reverse"] and kwargs["pk_set"]:
            # e.g. region.organization_set.add(…): the records on the other side changed.
            search.update_index(kwargs["model"]._base_manager.filter(pk__in=kwargs["pk_set"]),
                                through=sender)
        else:
            search.update_index([kwargs["instance"]], through=sender)



def _rewrite_fallback_pages():
    """A hotline's save must not fail because its database-down page could not be written."""
    try:
        write_fallback_pages()
    except Exception:
        logger.exception("The database-down page could not be rewritten")
