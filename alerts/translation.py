"""Notice text is stored once per language; the historical models are versioned too."""

from modeltranslation.translator import TranslationOptions, translator

from .models import Notice, NoticeTemplate

TRANSLATED_FIELDS = {
    Notice: ("title", "summary", "body", "place"),
    NoticeTemplate: ("name", "title", "summary", "body"),
}

for model, fields in TRANSLATED_FIELDS.items():
    options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,),
                   {"fields": fields})
    translator.register(model, options)
    translator.register(model.history.model, options)
