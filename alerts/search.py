"""Notices in the directory's search: public ones only, checked at query time."""

from django.conf import settings
from django.utils import translation

from directory.search import Document, IndexSource, translated

from .models import Notice


class NoticeSource(IndexSource):
    """Published notices, each with the window in which search shows it.

    A scheduled notice is indexed at once and appears at its `publish_at`; an expired one
    stops matching at its `expires_at`, with no job to run in between.
    """

    model = Notice
    m2m_fields = ("regions",)

    def queryset(self):
        # The same rule as Notice.objects.public(), less the clock.
        return Notice.objects.filter(
            status=Notice.Status.PUBLISHED, publish_at__isnull=False, expires_at__isnull=False,
        ).prefetch_related("regions")

    def documents(self, notice, context):
        regions = [region.pk for region in notice.regions.all()]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                url = notice.get_absolute_url()
                kind_label = str(Notice._meta.verbose_name)
            title, title_language = translated(notice, "title", language)
            summary, summary_language = translated(notice, "summary", language)
            body = [summary, translated(notice, "body", language)[0], kind_label]
            if not notice.place_is_confidential:
                body.append(translated(notice, "place", language)[0])
            body += context.region_names(regions, language)
            yield Document(
                language=language, kind="notice", title=title, title_language=title_language,
                url=url, summary=summary, summary_language=summary_language, name_text=title,
                body_text="\n".join(filter(None, body)),
                region_ids=context.with_ancestors(regions),
                public_from=notice.publish_at, public_until=notice.expires_at)
