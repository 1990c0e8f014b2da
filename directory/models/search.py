"""The search index, kept by directory.search, and the words people use for things."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Synonym(models.Model):
    """A word or phrase people type, and what the directory calls the same thing."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    phrase = models.CharField(
        _("what people type"), max_length=100,
        help_text=_("A word or a few words, accents and capitals do not matter, e.g. “migra”."))
    alternatives = models.TextField(
        _("also search for"),
        help_text=_("One per line; the words on a line must all be found, e.g. “ICE” and "
                    "“control de inmigración” on two lines."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "phrase"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        constraints = [models.UniqueConstraint(fields=["language", "phrase"],
                                               name="directory_synonym_unique_phrase")]

    def __str__(self):
        return f"{self.phrase} → {', '.join(self.alternative_list)}"

    @property
    def alternative_list(self):
        return [line.strip() for line in self.alternatives.splitlines() if line.strip()]


class SearchEntry(models.Model):
    """One searchable item (a record or a notice) in one language, with what its result shows.

    Written only by directory.search. On PostgreSQL a stored `tsvector` (added by
    migrations) holds the text and the filter terms, with a GIN index per language; on
    SQLite an FTS5 table holds the stemmed text and the filter terms under the same id.
    The columns filters read come first and the long text last: SQLite reads a row only as
    far as the last column a query needs. `filter_terms`, added later, is last; the index
    answers the filters, and a search reads the column only for its sampled matches.
    """

    source = models.CharField(_("source"), max_length=60,
                              help_text=_("The model label, e.g. “directory.service”."))
    object_id = models.UUIDField(_("item"))
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=30)
    is_free = models.BooleanField(_("free of charge"), default=False)
    public_from = models.DateTimeField(_("shown from"), null=True, blank=True)
    public_until = models.DateTimeField(_("shown until"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    title_language = models.CharField(_("language of the title"), max_length=8)
    summary_language = models.CharField(_("language of the summary"), max_length=8)
    url = models.CharField(_("address"), max_length=300)
    hours = models.JSONField(
        _("weekly hours"), null=True, blank=True,
        help_text=_("Open intervals in minutes of the week and the weekdays known; empty when "
                    "the item has no hours."))
    summary = models.TextField(_("summary"), blank=True)
    name_text = models.TextField(_("names"), help_text=_("Ranked above the rest."))
    body_text = models.TextField(_("text"), blank=True)
    filter_terms = models.TextField(
        _("filter terms"), blank=True,
        help_text=_("The kind, regions, categories, languages, “free” and the hours of the "
                    "week it is open as words (“kservice r12 c3 l2 free h33”), indexed "
                    "beside the text so that a filter narrows a search inside the text "
                    "index."))

    class Meta:
        ordering = ["title"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [
            models.Index(fields=["source", "object_id", "language"],
                         name="directory_search_object"),
            models.Index(fields=["language", "kind"], name="directory_search_kind"),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def get_kind_display(self):
        from ..search import KINDS

        return KINDS.get(self.kind, self.kind)

    @property
    def open_state(self):
        from ..hours import state_from_schedule

        return state_from_schedule(self.hours)


class SearchFacet(models.Model):
    """A region (with each region around it), category or language an entry can be filtered by."""

    class Name(models.TextChoices):
        REGION = "r", _("region")
        CATEGORY = "c", _("category")
        LANGUAGE = "l", _("language")

    pk = models.CompositePrimaryKey("entry", "name", "value")
    entry = models.ForeignKey(SearchEntry, models.DB_CASCADE, related_name="facets",
                              db_index=False, verbose_name=_("entry"))
    name = models.CharField(_("filter"), max_length=1, choices=Name.choices)
    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("search filter value")
        verbose_name_plural = _("search filter values")
        indexes = [models.Index(fields=["name", "value", "entry"], name="directory_facet_value")]

    def __str__(self):
        return f"{self.get_name_display()} {self.value}"


class SearchOpening(models.Model):
    """A stretch of the week an entry is open, in Denver minutes from Monday 00:00."""

    pk = models.CompositePrimaryKey("entry", "starts")
    entry = models.ForeignKey(SearchEntry, models.DB_CASCADE, related_name="openings",
                              db_index=False, verbose_name=_("entry"))
    starts = models.PositiveSmallIntegerField(_("opens at minute"))
    ends = models.PositiveSmallIntegerField(_("closes at minute"))

    class Meta:
        verbose_name = _("search opening")
        verbose_name_plural = _("search openings")

    def __str__(self):
        return f"{self.starts}–{self.ends}"
