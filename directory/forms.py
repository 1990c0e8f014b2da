"""Forms visitors fill in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .search import KINDS

SEARCH_MAX_LENGTH = 200


class SearchForm(forms.Form):
    """The search box and its filters, as GET parameters; a bad filter is left out, not a 500.

    Categories and regions come by slug and languages by code; the view checks that they
    exist.
    """

    q = forms.CharField(label=_("Search the directory"), max_length=SEARCH_MAX_LENGTH,
                        required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "")] + list(KINDS.items()),
                             required=False)
    category = forms.SlugField(label=_("Category"), max_length=120, required=False)
    region = forms.SlugField(label=_("Region"), max_length=120, required=False)
    language = forms.RegexField(label=_("Language spoken"), regex=r"^[A-Za-z0-9-]+$",
                                max_length=16, required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    open = forms.BooleanField(label=_("Open now"), required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    FILTERS = ("kind", "category", "region", "language", "free", "open")

    def valid_data(self):
        """The values that passed, and the names of the fields that did not."""
        self.is_valid()
        return ({name: value for name, value in self.cleaned_data.items()},
                [name for name in self.errors if name != "q"])
