"""The two dated reports from the articles, as notices long since in the archive."""

import datetime
import zoneinfo

from django.db import transaction

from directory.models import DetentionFacility, Hotline, LegalFund, Organization, Region, Source
from directory.sample_data import LoadReport, upsert

from .models import CapMessage, Notice

DENVER = zoneinfo.ZoneInfo("America/Denver")

NOTICES = [
    {
        "title_en": "Reports: ICE operations in ten cities this weekend, Denver among them",
        "title_es": "Reportes: operativos de ICE en diez ciudades este fin de semana, "
                    "entre ellas Denver",
        "summary_en": "News reports on June 21, 2019 said ICE planned operations this weekend "
                      "in ten cities, including Denver, aimed at about 2,000 people with "
                      "final orders of removal.",
        "summary_es": "Según noticias del 21 de junio de 2019, ICE planeaba operativos este fin "
                      "de semana en diez ciudades, entre ellas Denver, contra unas 2,000 "
                      "personas con órdenes finales de deportación.",
        "body_en": "The City of Denver said it receives no advance notice of ICE activity. "
                   "Know your rights, and call the hotline to report ICE activity.",
        "body_es": "La Ciudad de Denver dijo que no recibe aviso previo de la actividad de "
                   "ICE. Conozca sus derechos y llame a la línea de ayuda para reportar "
                   "actividad de ICE.",
        "published": datetime.datetime(2019, 6, 21, 12, 0, tzinfo=DENVER),
        # ICE confirmed it would conduct operations, according to Rep. DeGette's statement.
        "confirmed_by": "ice",
        "regions": ["denver"],
        "hotlines": ["circ-hotline"],
        "legal_funds": ["denver-immigrant-legal-services-fund"],
        "detention_facilities": [],
        "source": "Local officials denounce reported ICE raids coming to Denver",
    },
    {
        "title_en": "Reports: ICE operations, postponed from June, to start Sunday",
        "title_es": "Reportes: los operativos de ICE, aplazados desde junio, empezarían "
                    "el domingo",
        "summary_en": "News reports in July 2019 said the ICE operations postponed from late "
                      "June would start on Sunday, last several days and could include "
                      "“collateral” arrests of people who were not targeted.",
        "summary_es": "Según noticias de julio de 2019, los operativos de ICE aplazados desde "
                      "fines de junio empezarían el domingo, durarían varios días y podrían "
                      "incluir arrestos “colaterales” de personas que no eran el objetivo.",
        "body_en": "Advocates planned protests on Friday at the border and at the GEO Group's "
                   "ICE detention facility in Aurora. Know your rights, and call the hotline "
                   "to report ICE activity.",
        "body_es": "Grupos de apoyo planearon protestas el viernes en la frontera y en el "
                   "centro de detención de ICE de GEO Group en Aurora. Conozca sus derechos y "
                   "llame a la línea de ayuda para reportar actividad de ICE.",
        "published": datetime.datetime(2019, 7, 11, 12, 0, tzinfo=DENVER),
        # Reported by news outlets citing officials; no organization confirmed it.
        "confirmed_by": None,
        "regions": ["denver", "aurora"],
        "hotlines": ["circ-hotline"],
        "legal_funds": ["denver-immigrant-legal-services-fund"],
        "detention_facilities": ["denver-contract-detention-facility"],
        "source": "Colorado leaders and immigration activists prepare for reported ICE raids "
                  "starting Sunday",
    },
]


def load_sample_data():
    """Load the sample notices, published and expired, in one transaction."""
    report = LoadReport()
    with transaction.atomic():
        for item in NOTICES:
            values = dict(item)
            published = values.pop("published")
            confirmed_by = values.pop("confirmed_by")
            m2m = {
                "regions": Region.objects.filter(slug__in=values.pop("regions")),
                "hotlines": Hotline.objects.filter(slug__in=values.pop("hotlines")),
                "legal_funds": LegalFund.objects.filter(slug__in=values.pop("legal_funds")),
                "detention_facilities": DetentionFacility.objects.filter(
                    slug__in=values.pop("detention_facilities")),
                "sources": Source.objects.filter(title=values.pop("source")),
            }
            values.update({
                "title": values["title_en"], "summary": values["summary_en"],
                "body": values["body_en"],
                "severity": Notice.Severity.ADVISORY,
                "certainty": Notice.Certainty.CONFIRMED,
                "status": Notice.Status.PUBLISHED,
                "publish_at": published,
                "expires_at": published + datetime.timedelta(days=7),
                "updated_for_visitors_at": published,
                "confirmed_by": Organization.objects.get(slug=confirmed_by)
                if confirmed_by else None,
                "confirmed_at": published if confirmed_by else None,
            })
            notice = upsert(Notice, {"title_en": values.pop("title_en")}, values, m2m=m2m,
                            report=report)
            CapMessage.objects.get_or_create(notice=notice, msg_type=CapMessage.MessageType.ALERT,
                                             defaults={"sent_at": published})
    return report
