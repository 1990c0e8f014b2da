"""Staff groups with least privilege, and the pre-written notice templates.

Permissions are created by a post_migrate signal, which has not run yet on an
empty database, so they are created here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DIRECTORY_MODELS = ("organization", "service", "hotline", "hotlinemenuoption", "hotlinehours",
                    "servicehours", "locationhours", "legalfund", "detentionfacility", "policy",
                    "location", "region", "category", "language", "source")
EDITOR_PERMISSIONS = (
    [f"{action}_{model}" for model in DIRECTORY_MODELS for action in ("add", "change", "view")]
    + ["add_notice", "change_notice", "view_notice", "view_noticetemplate"]
)
PUBLISHER_PERMISSIONS = EDITOR_PERMISSIONS + [
    "publish_notice", "add_noticetemplate", "change_noticetemplate",
]
# Administrators also manage staff accounts, their second factors and lock-outs.
ADMINISTRATOR_PERMISSIONS = PUBLISHER_PERMISSIONS + [
    f"{action}_{model}" for model in ("user", "group", "totpdevice", "staticdevice",
                                      "statictoken", "accessattempt")
    for action in ("add", "change", "view", "delete")
]

TEMPLATES = [
    {
        "position": 10, "severity": "urgent", "certainty": "confirmed",
        "name_en": "Confirmed enforcement activity",
        "name_es": "Actividad de control migratorio confirmada",
        "title_en": "Confirmed: immigration enforcement activity in our area",
        "title_es": "Confirmado: actividad de control migratorio en nuestra zona",
        "summary_en": "Our rapid-response team confirmed immigration enforcement activity. "
                      "Know your rights and call the hotline if you need help.",
        "summary_es": "Nuestro equipo de respuesta rápida confirmó actividad de control "
                      "migratorio. Conozca sus derechos y llame a la línea de ayuda si "
                      "necesita ayuda.",
        "body_en": "- Stay calm. You have the right to remain silent.\n"
                   "- Do not open the door unless agents show a warrant signed by a judge.\n"
                   "- Do not sign anything without talking to a lawyer.\n"
                   "- Call the hotline to report what you see or to get help.",
        "body_es": "- Mantenga la calma. Usted tiene derecho a guardar silencio.\n"
                   "- No abra la puerta si los agentes no muestran una orden firmada por un "
                   "juez.\n"
                   "- No firme nada sin hablar con un abogado.\n"
                   "- Llame a la línea de ayuda para reportar lo que ve o para pedir ayuda.",
    },
    {
        "position": 20, "severity": "advisory", "certainty": "found_false",
        "name_en": "Report found false", "name_es": "Reporte falso",
        "title_en": "Found false: a report going around is not true",
        "title_es": "Falso: un reporte que circula no es cierto",
        "summary_en": "Our team checked a report shared on social media and found it false. "
                      "Please do not forward it.",
        "summary_es": "Nuestro equipo revisó un reporte compartido en redes sociales y "
                      "encontró que es falso. Por favor, no lo reenvíe.",
        "body_en": "If you see enforcement activity, call the hotline. Trained volunteers "
                   "check every report before we publish it.",
        "body_es": "Si ve actividad de control migratorio, llame a la línea de ayuda. "
                   "Voluntarios capacitados revisan cada reporte antes de publicarlo.",
    },
    {
        "position": 30, "severity": "information", "certainty": "confirmed",
        "name_en": "Know-your-rights session", "name_es": "Taller de conozca sus derechos",
        "title_en": "Free know-your-rights session",
        "title_es": "Taller gratis: conozca sus derechos",
        "summary_en": "Learn what to do if immigration agents come to your door, your work "
                      "or stop your car. Free and open to everyone.",
        "summary_es": "Aprenda qué hacer si agentes de inmigración llegan a su puerta, a su "
                      "trabajo o detienen su carro. Gratis y abierto a todos.",
        "body_en": "Bring your questions. Nobody will ask for your immigration status.",
        "body_es": "Traiga sus preguntas. Nadie le va a preguntar su estatus migratorio.",
    },
    {
        "position": 40, "severity": "advisory", "certainty": "confirmed",
        "name_en": "Office closed", "name_es": "Oficina cerrada",
        "title_en": "Office closed", "title_es": "Oficina cerrada",
        "summary_en": "This office is closed. The hotline is still answering.",
        "summary_es": "Esta oficina está cerrada. La línea de ayuda sigue atendiendo.",
        "body_en": "", "body_es": "",
    },
]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITOR_PERMISSIONS),
                            ("Publishers", PUBLISHER_PERMISSIONS),
                            ("Administrators", ADMINISTRATOR_PERMISSIONS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label__in=["directory", "alerts", "auth", "otp_totp",
                                         "otp_static", "axes"],
            codename__in=codenames))
    NoticeTemplate = apps.get_model("alerts", "NoticeTemplate")
    for template in TEMPLATES:
        fields = {**template, "name": template["name_en"], "title": template["title_en"],
                  "summary": template["summary_en"], "body": template["body_en"]}
        NoticeTemplate.objects.update_or_create(name_en=template["name_en"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("directory", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("otp_totp", "0001_initial"),
        ("otp_static", "0001_initial"),
        ("axes", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
