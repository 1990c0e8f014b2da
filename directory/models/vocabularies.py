"""The vocabularies and citations that directory records point to."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """A place a record serves; regions nest (Aurora inside Colorado inside the US)."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        STATE = "state", _("State")
        COUNTY = "county", _("County")
        CITY = "city", _("City")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True,
                            help_text=_("Part of the address, never translated, e.g. “aurora”."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("inside"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:region-detail", kwargs={"slug": self.slug})

    def with_descendants(self):
        """This region's id and those of every region inside it, in one query."""
        children = {}
        for region_id, parent_id in Region.objects.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(region_id)
        found, todo = [], [self.pk]
        while todo:
            region_id = todo.pop()
            found.append(region_id)
            todo.extend(children.get(region_id, []))
        return found


class Category(models.Model):
    """A kind of help, such as legal help or detention; used to browse and filter."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0,
                                                help_text=_("Lower numbers come first."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:category-detail", kwargs={"slug": self.slug})


class Language(models.Model):
    """A language a line or service works in; named in the reader's language."""

    code = models.CharField(_("code"), max_length=16, unique=True,
                            help_text=_("A BCP 47 tag, e.g. “es” or “en”."))
    name = models.CharField(_("name"), max_length=80)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name


class Source(models.Model):
    """A public citation for what a record says: an article, an order, an official page."""

    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True,
                             help_text=_("What this source says that the records rely on."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        if self.publisher:
            return f"{self.publisher}: {self.title}"
        return self.title
