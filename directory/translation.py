"""Which fields visitors read, and so are stored once per language.

Each historical model is registered too: simple-history builds it before
modeltranslation adds the per-language columns, and without this the
translations would not be versioned.
"""

from modeltranslation.translator import TranslationOptions, translator

from .models import (
    Category,
    DetentionFacility,
    Hotline,
    HotlineMenuOption,
    Language,
    LegalFund,
    Location,
    Organization,
    Policy,
    Region,
    RightsSection,
    Service,
)

RECORD_FIELDS = ("name", "summary", "description")

TRANSLATED_FIELDS = {
    Region: ("name",),
    Category: ("name", "description"),
    Language: ("name",),
    Organization: RECORD_FIELDS,
    Location: ("name", "access_notes"),
    Service: RECORD_FIELDS + ("eligibility", "how_to_get_it"),
    Hotline: RECORD_FIELDS + ("purpose",),
    HotlineMenuOption: ("purpose", "hours_note"),
    LegalFund: RECORD_FIELDS + ("pays_for", "eligibility", "how_to_get_it"),
    DetentionFacility: RECORD_FIELDS + ("visiting_rules", "how_to_find_someone"),
    Policy: RECORD_FIELDS + ("spoken_by", "quote"),
    RightsSection: ("title", "steps"),
}

for model, fields in TRANSLATED_FIELDS.items():
    options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,),
                   {"fields": fields})
    translator.register(model, options)
    translator.register(model.history.model, options)
