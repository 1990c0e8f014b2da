"""A first list of the words people use, which staff extend in the admin."""

from django.db import migrations

SYNONYMS = {
    "es": {
        "migra": ["ICE", "control de inmigración", "agentes de inmigración"],
        "redada": ["ICE", "operativo de inmigración", "control de inmigración"],
        "fianza": ["bono", "bond", "fondo de fianzas"],
        "abogado": ["asesoría legal", "ayuda legal", "abogada", "representación legal"],
        "abogado gratis": ["asesoría legal gratis", "ayuda legal gratis",
                           "representación legal gratuita"],
        "deportación": ["expulsión", "proceso de deportación"],
        "línea de ayuda": ["línea", "teléfono de ayuda"],
    },
    "en": {
        "migra": ["ICE", "immigration enforcement"],
        "la migra": ["ICE", "immigration enforcement"],
        "raid": ["ICE", "immigration enforcement"],
        "bail": ["bond"],
        "lawyer": ["attorney", "legal counsel", "legal help"],
        "free lawyer": ["free legal counsel", "free legal help"],
        "deportation": ["removal"],
        "helpline": ["hotline"],
    },
}


def seed(apps, schema_editor):
    Synonym = apps.get_model("directory", "Synonym")
    for language, phrases in SYNONYMS.items():
        for phrase, alternatives in phrases.items():
            Synonym.objects.get_or_create(language=language, phrase=phrase,
                                          defaults={"alternatives": "\n".join(alternatives)})


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_search_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
