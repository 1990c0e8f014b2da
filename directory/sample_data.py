"""The sample directory built from the two Denver7 articles in `seeds/`, and its loader.

Only what the articles and the few public sources named in SAMPLE-DATA.md say is here.
A fact nobody reported (an address, hours, a website, who can get help) is left out, so
its field stays empty until staff fill it in, and loading again never wipes what staff
added. The person living in sanctuary named in the July article, and every other private
individual, is stored nowhere; officials appear only as the office speaking in a policy.

`load_sample_data()` is idempotent: records are found by a natural key, saved only when a
value differs and their many-to-many sets replaced only when they differ, so a second run
writes nothing, not even history rows.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

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
    Service,
    Source,
)

# The July article's exact day is not in the text; SAMPLE-DATA.md dates it July 2019.
JULY_ARTICLE_DATE = datetime.date(2019, 7, 11)
JUNE_ARTICLE_DATE = datetime.date(2019, 6, 21)

JULY = "denver7-2019-07"
JUNE = "denver7-2019-06"
DENVER_POST = "denver-post-facility-name"
WESTWORD = "westword-facility-name"
ICE_LOCATOR = "ice-detainee-locator"
DENVERGOV = "denvergov-legal-services-fund"
DENVER_FOUNDATION = "denver-foundation-legal-services-fund"

_FACILITY_NAME_NOTE = (
    "Cited for: in ICE's records the Aurora facility is called “Denver Contract Detention "
    "Facility”; it is also called “Aurora ICE Processing Center”. The article's headline, "
    "date and address were not recorded; staff should add them."
)

# `key` only links records to their sources here; a source is found in the database by its
# address, or by publisher and title when it has none.
SOURCES = [
    {
        "key": JULY,
        "title": "Colorado leaders and immigration activists prepare for reported ICE raids "
                 "starting Sunday",
        "publisher": "Denver7",
        "url": "",
        "published_on": JULY_ARTICLE_DATE,
        "notes": (
            "Denver7 report from July 2019 (dated 2019-07-11 here). The title describes the "
            "article; its original headline and address were not recorded. Cited for: the "
            "Colorado Immigrant Rights Coalition's learning sessions, its staff for families "
            "in deportation proceedings and its hotline (1-844-864-8341, option 2); the "
            "Denver Immigrant Legal Services Fund; the Denver Police and Denver Public Schools "
            "statements; the planned protest at the GEO Group's ICE detention facility in "
            "Aurora."
        ),
    },
    {
        "key": JUNE,
        "title": "Local officials denounce reported ICE raids coming to Denver",
        "publisher": "Denver7",
        "url": "",
        "published_on": JUNE_ARTICLE_DATE,
        "notes": (
            "Denver7 report of June 21, 2019. The title describes the article; its original "
            "headline and address were not recorded. Cited for: the City of Denver statement "
            "(no advance notice of ICE activity, “stands with our immigrant and refugee "
            "families”, no support for family separation); the Aurora Police statement; a "
            "member of Congress citing “problems at the Aurora detention center”."
        ),
    },
    {
        "key": DENVER_POST,
        "title": "Reporting on the immigration detention facility in Aurora",
        "publisher": "The Denver Post",
        "url": "",
        "published_on": None,
        "notes": _FACILITY_NAME_NOTE,
    },
    {
        "key": WESTWORD,
        "title": "Reporting on the immigration detention facility in Aurora",
        "publisher": "Westword",
        "url": "",
        "published_on": None,
        "notes": _FACILITY_NAME_NOTE,
    },
    {
        "key": ICE_LOCATOR,
        "title": "Online Detainee Locator System",
        "publisher": "U.S. Immigration and Customs Enforcement",
        "url": "https://locator.ice.gov/odls/",
        "published_on": None,
        "notes": (
            "Cited for: the locator finds an adult in ICE detention by A-number and country "
            "of birth, or by exact name and country of birth."
        ),
    },
    {
        "key": DENVERGOV,
        "title": "Denver Immigrant Legal Services Fund (City and County of Denver website)",
        "publisher": "City and County of Denver",
        "url": "https://www.denvergov.org",
        "published_on": None,
        "notes": (
            "Cited for: the City of Denver created the Denver Immigrant Legal Services Fund "
            "by Executive Order 142 in 2017. The exact page was not recorded; the address is "
            "the site's home page."
        ),
    },
    {
        "key": DENVER_FOUNDATION,
        "title": "Denver Immigrant Legal Services Fund (The Denver Foundation website)",
        "publisher": "The Denver Foundation",
        "url": "https://www.denverfoundation.org",
        "published_on": None,
        "notes": (
            "Cited for: The Denver Foundation manages the Denver Immigrant Legal Services "
            "Fund. The exact page was not recorded; the address is the site's home page."
        ),
    },
]

# Parents come before the regions inside them.
REGIONS = [
    {"slug": "united-states", "kind": Region.Kind.COUNTRY, "parent": None,
     "name_en": "United States", "name_es": "Estados Unidos"},
    {"slug": "colorado", "kind": Region.Kind.STATE, "parent": "united-states",
     "name_en": "Colorado", "name_es": "Colorado"},
    {"slug": "denver", "kind": Region.Kind.CITY, "parent": "colorado",
     "name_en": "Denver", "name_es": "Denver"},
    {"slug": "aurora", "kind": Region.Kind.CITY, "parent": "colorado",
     "name_en": "Aurora", "name_es": "Aurora"},
]

CATEGORIES = [
    {
        "slug": "rapid-response", "position": 10,
        "name_en": "Rapid response and hotlines",
        "name_es": "Respuesta rápida y líneas de ayuda",
        "description_en": "Numbers to call to report ICE activity or to get help fast.",
        "description_es": "Números para llamar y reportar a ICE o pedir ayuda rápido.",
    },
    {
        "slug": "know-your-rights", "position": 20,
        "name_en": "Know your rights",
        "name_es": "Conozca sus derechos",
        "description_en": "Sessions and materials about your rights.",
        "description_es": "Charlas y materiales sobre sus derechos.",
    },
    {
        "slug": "legal-help", "position": 30,
        "name_en": "Legal help",
        "name_es": "Ayuda legal",
        "description_en": "Free legal help, legal funds and help with deportation cases.",
        "description_es": "Ayuda legal gratis, fondos legales y apoyo en casos de deportación.",
    },
    {
        "slug": "detention", "position": 40,
        "name_en": "Detention",
        "name_es": "Detención",
        "description_en": "Detention centers, who runs them, and how to find a detained "
                          "person.",
        "description_es": "Centros de detención, quién los maneja y cómo encontrar a una "
                          "persona detenida.",
    },
    {
        "slug": "local-policies", "position": 50,
        "name_en": "Local policies",
        "name_es": "Políticas locales",
        "description_en": "What local police, schools and cities said they will and will "
                          "not do. These are statements, not laws.",
        "description_es": "Lo que la policía, las escuelas y las ciudades dijeron que harán "
                          "y que no harán. Son declaraciones, no leyes.",
    },
    {
        "slug": "government-offices", "position": 60,
        "name_en": "Government offices",
        "name_es": "Oficinas de gobierno",
        "description_en": "City offices and other public agencies.",
        "description_es": "Oficinas de la ciudad y otras agencias públicas.",
    },
]

LANGUAGES = [
    {"code": "en", "name_en": "English", "name_es": "inglés"},
    {"code": "es", "name_en": "Spanish", "name_es": "español"},
]

# Parents come before the offices inside them. No phone, email or website is given: the
# articles name none (the coalition's hotline is its own record below).
ORGANIZATIONS = [
    {
        "slug": "colorado-immigrant-rights-coalition",
        "kind": Organization.Kind.NONPROFIT,
        "name_en": "Colorado Immigrant Rights Coalition",
        "name_es": "Colorado Immigrant Rights Coalition",
        "summary_en": "A coalition that holds know-your-rights sessions for families, has "
                      "staff for families in deportation proceedings, and runs a hotline to "
                      "report ICE activity.",
        "summary_es": "Una coalición que da charlas a las familias sobre sus derechos, tiene "
                      "personal para familias en proceso de deportación y tiene una línea "
                      "para reportar a ICE.",
        "description_en": (
            "In July 2019, Denver7 reported that the coalition was holding learning sessions "
            "for families to learn their rights, had staff for families involved in "
            "deportation proceedings, and asked people to report ICE activity to its "
            "hotline: 1-844-864-8341, option 2. The article wrote the name as “Colorado "
            "Immigration Rights Coalition”."
        ),
        "description_es": (
            "En julio de 2019, Denver7 contó que la coalición daba charlas para que las "
            "familias conozcan sus derechos, tenía personal para ayudar a familias en "
            "proceso de deportación y pedía reportar la actividad de ICE a su línea: "
            "1-844-864-8341, opción 2. La noticia escribió el nombre como “Colorado "
            "Immigration Rights Coalition”."
        ),
        "areas_served": ["colorado"],
        "categories": ["rapid-response", "know-your-rights", "legal-help"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "denver-immigrant-legal-services-fund",
        "kind": Organization.Kind.FUND,
        "name_en": "Denver Immigrant Legal Services Fund",
        "name_es": "Denver Immigrant Legal Services Fund",
        "summary_en": "A fund that pays for free legal counsel for people who face possible "
                      "deportation. It takes donations.",
        "summary_es": "Un fondo que paga asesoría legal gratis para personas que podrían ser "
                      "deportadas. Acepta donaciones.",
        "description_en": (
            "The City of Denver created the fund by Executive Order 142 in 2017, and The "
            "Denver Foundation manages it. In July 2019, Denver's mayor and city offices "
            "asked everyone who wants to help immigrant families to donate to it."
        ),
        "description_es": (
            "La Ciudad de Denver creó este fondo con la Orden Ejecutiva 142 en 2017, y The "
            "Denver Foundation lo administra. En julio de 2019, el alcalde y las oficinas de "
            "la ciudad pidieron a quienes quieran ayudar a las familias inmigrantes que "
            "donen a este fondo."
        ),
        "areas_served": ["denver"],
        "categories": ["legal-help"],
        "sources": [JULY, DENVERGOV, DENVER_FOUNDATION],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "city-of-denver",
        "kind": Organization.Kind.GOVERNMENT_AGENCY,
        "name_en": "City of Denver — Mayor's Office",
        "name_es": "Ciudad de Denver — Oficina del Alcalde",
        "summary_en": "Denver's city government and the mayor's office.",
        "summary_es": "El gobierno de la ciudad de Denver y la oficina del alcalde.",
        "description_en": (
            "In June 2019, the mayor's office said the city gets no advance notice of ICE "
            "activity and does not support family separation. In July 2019, the mayor said "
            "Denver police would not take part in the reported ICE raids. Each statement is "
            "listed with its date under local policies."
        ),
        "description_es": (
            "En junio de 2019, la oficina del alcalde dijo que la ciudad no recibe aviso "
            "antes de las acciones de ICE y que no apoya la separación de familias. En julio "
            "de 2019, el alcalde dijo que la policía de Denver no participaría en las "
            "redadas de ICE anunciadas. Cada declaración aparece con su fecha en políticas "
            "locales."
        ),
        "areas_served": ["denver"],
        "categories": ["government-offices", "local-policies"],
        "sources": [JUNE, JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "denver-office-of-immigrant-and-refugee-affairs",
        "kind": Organization.Kind.GOVERNMENT_AGENCY,
        "parent": "city-of-denver",
        "name_en": "Denver Office of Immigrant & Refugee Affairs",
        "name_es": "Oficina de Asuntos de Inmigrantes y Refugiados de Denver",
        "summary_en": "A City of Denver office for immigrant and refugee residents.",
        "summary_es": "Una oficina de la Ciudad de Denver para residentes inmigrantes y "
                      "refugiados.",
        "description_en": (
            "In July 2019, with the mayor and the Denver Agency for Human Rights & Community "
            "Partnerships, this office asked all residents, whatever their legal status, to "
            "“look out for and check in on each other” and to know their rights. It asked "
            "people who want to help to donate to the Denver Immigrant Legal Services Fund."
        ),
        "description_es": (
            "En julio de 2019, junto con el alcalde y la Agencia de Derechos Humanos y "
            "Alianzas Comunitarias de Denver, esta oficina pidió a todos los residentes, sin "
            "importar su estatus legal, que se cuiden y estén pendientes unos de otros, y "
            "que conozcan sus derechos. También pidió a quienes quieran ayudar que donen al "
            "Denver Immigrant Legal Services Fund. Su nombre en inglés es Denver Office of "
            "Immigrant & Refugee Affairs."
        ),
        "areas_served": ["denver"],
        "categories": ["government-offices"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "denver-agency-for-human-rights-and-community-partnerships",
        "kind": Organization.Kind.GOVERNMENT_AGENCY,
        "parent": "city-of-denver",
        "name_en": "Denver Agency for Human Rights & Community Partnerships",
        "name_es": "Agencia de Derechos Humanos y Alianzas Comunitarias de Denver",
        "summary_en": "A City of Denver agency for human rights and community partnerships.",
        "summary_es": "Una agencia de la Ciudad de Denver para los derechos humanos y el "
                      "trabajo con la comunidad.",
        "description_en": (
            "In July 2019, with the mayor and the Denver Office of Immigrant & Refugee "
            "Affairs, this agency asked all residents, whatever their legal status, to “look "
            "out for and check in on each other” and to know their rights. It asked people "
            "who want to help to donate to the Denver Immigrant Legal Services Fund."
        ),
        "description_es": (
            "En julio de 2019, junto con el alcalde y la Oficina de Asuntos de Inmigrantes y "
            "Refugiados de Denver, esta agencia pidió a todos los residentes, sin importar "
            "su estatus legal, que se cuiden y estén pendientes unos de otros, y que "
            "conozcan sus derechos. También pidió a quienes quieran ayudar que donen al "
            "Denver Immigrant Legal Services Fund. Su nombre en inglés es Denver Agency for "
            "Human Rights & Community Partnerships."
        ),
        "areas_served": ["denver"],
        "categories": ["government-offices"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "denver-police-department",
        "kind": Organization.Kind.POLICE,
        "parent": "city-of-denver",
        "name_en": "Denver Police Department",
        "name_es": "Departamento de Policía de Denver",
        "summary_en": "The city police of Denver.",
        "summary_es": "La policía de la ciudad de Denver.",
        "description_en": (
            "In July 2019, Denver's mayor and police chief said Denver officers would not be "
            "involved in the reported ICE raids and would never assist federal immigration "
            "enforcement. This is a statement, not a law."
        ),
        "description_es": (
            "En julio de 2019, el alcalde y el jefe de policía de Denver dijeron que los "
            "policías de Denver no participarían en las redadas de ICE y que nunca ayudarían "
            "al gobierno federal a aplicar las leyes de inmigración. Es una declaración, no "
            "una ley."
        ),
        "areas_served": ["denver"],
        "categories": ["local-policies"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "aurora-police-department",
        "kind": Organization.Kind.POLICE,
        "name_en": "Aurora Police Department",
        "name_es": "Departamento de Policía de Aurora",
        "summary_en": "The city police of Aurora.",
        "summary_es": "La policía de la ciudad de Aurora.",
        "description_en": (
            "In June 2019, Aurora's police chief said Aurora officers have no authority to "
            "detain a person because of immigration status, and do not investigate or "
            "enforce federal immigration law. This is a statement, not a law."
        ),
        "description_es": (
            "En junio de 2019, el jefe de policía de Aurora dijo que los policías de Aurora "
            "no tienen autoridad para detener a nadie por su estatus migratorio, y que no "
            "investigan ni aplican las leyes federales de inmigración. Es una declaración, "
            "no una ley."
        ),
        "areas_served": ["aurora"],
        "categories": ["local-policies"],
        "sources": [JUNE],
        "last_verified_on": JUNE_ARTICLE_DATE,
    },
    {
        "slug": "denver-public-schools",
        "kind": Organization.Kind.SCHOOL_DISTRICT,
        "name_en": "Denver Public Schools",
        "name_es": "Escuelas Públicas de Denver",
        "summary_en": "Denver's public school district.",
        "summary_es": "El distrito de escuelas públicas de Denver.",
        "description_en": (
            "In July 2019, the superintendent wrote to families that Denver's schools are "
            "places for all students regardless of immigration status, and that the "
            "district would not share information about any student unless required by "
            "law. This is a statement, not a law."
        ),
        "description_es": (
            "En julio de 2019, la superintendencia escribió a las familias que las escuelas "
            "de Denver son para todos los estudiantes, sin importar su estatus migratorio, "
            "y que el distrito no compartirá información de ningún estudiante a menos que "
            "la ley lo exija. Es una declaración, no una ley. Su nombre en inglés es Denver "
            "Public Schools (DPS)."
        ),
        "areas_served": ["denver"],
        "categories": ["local-policies"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "the-geo-group",
        "kind": Organization.Kind.DETENTION_OPERATOR,
        "name_en": "The GEO Group",
        "name_es": "The GEO Group",
        "summary_en": "A private company that runs the ICE detention facility in Aurora.",
        "summary_es": "Una empresa privada que maneja el centro de detención de ICE en Aurora.",
        "description_en": (
            "The GEO Group is a private company. It operates the immigration detention "
            "facility in Aurora for U.S. Immigration and Customs Enforcement (ICE)."
        ),
        "description_es": (
            "The GEO Group es una empresa privada. Maneja el centro de detención de "
            "inmigrantes de Aurora para el Servicio de Inmigración y Control de Aduanas "
            "(ICE)."
        ),
        "areas_served": ["aurora"],
        "categories": ["detention"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "ice",
        "kind": Organization.Kind.ENFORCEMENT_AGENCY,
        "name_en": "U.S. Immigration and Customs Enforcement (ICE)",
        "name_es": "Servicio de Inmigración y Control de Aduanas (ICE)",
        "summary_en": "The federal immigration enforcement agency, part of the Department of "
                      "Homeland Security.",
        "summary_es": "La agencia federal que aplica las leyes de inmigración. Es parte del "
                      "Departamento de Seguridad Nacional.",
        "description_en": (
            "ICE is part of the U.S. Department of Homeland Security (DHS). People it "
            "detains may be held at the facility in Aurora that The GEO Group runs. In June "
            "and July 2019, ICE would not give details about the reported raids."
        ),
        "description_es": (
            "ICE es parte del Departamento de Seguridad Nacional de Estados Unidos (DHS). "
            "Las personas que detiene pueden estar en el centro de Aurora que maneja The GEO "
            "Group. En junio y julio de 2019, ICE no quiso dar detalles sobre las redadas "
            "anunciadas. Su nombre en inglés es U.S. Immigration and Customs Enforcement."
        ),
        "areas_served": ["united-states"],
        "categories": ["detention"],
        "sources": [JULY, JUNE],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
]

# Found again by (English name, city). No street address: none was reported.
LOCATIONS = [
    {
        "key": "aurora-detention-facility",
        "name_en": "Aurora detention facility",
        "name_es": "Centro de detención en Aurora",
        "city": "Aurora",
        "state": "CO",
        "region": "aurora",
        "is_confidential": False,
    },
]

# No SMS number and no hours: none were reported.
HOTLINES = [
    {
        "slug": "circ-hotline",
        "organization": "colorado-immigrant-rights-coalition",
        "phone": "+18448648341",
        # The rapid-response line: the call button on the first screen.
        "is_featured": True,
        "is_on_rights_page": True,
        "name_en": "Colorado Immigrant Rights Coalition hotline",
        "name_es": "Línea de ayuda de la Colorado Immigrant Rights Coalition",
        "purpose_en": "Report ICE activity",
        "purpose_es": "Reportar actividad de ICE",
        "summary_en": "Call to report ICE activity: 1-844-864-8341, then press 2.",
        "summary_es": "Llame para reportar actividad de ICE: 1-844-864-8341, luego marque "
                      "el 2.",
        "description_en": (
            "The Colorado Immigrant Rights Coalition asked people to use this line to report "
            "ICE activity (Denver7, July 2019). Press 2 for that option. The option was last "
            "checked in July 2019, from that news report."
        ),
        "description_es": (
            "La Colorado Immigrant Rights Coalition pidió usar esta línea para reportar la "
            "actividad de ICE (Denver7, julio de 2019). Marque el 2 para esa opción. La "
            "opción se revisó por última vez en julio de 2019, según esa noticia."
        ),
        "areas_served": ["colorado"],
        "categories": ["rapid-response"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
        "menu_options": [
            {
                "digits": "2",
                "purpose_en": "Report ICE activity",
                "purpose_es": "Reportar actividad de ICE",
                "last_checked_on": JULY_ARTICLE_DATE,
            },
        ],
    },
]

# Eligibility, how to ask and a donation link: not reported.
LEGAL_FUNDS = [
    {
        "slug": "denver-immigrant-legal-services-fund",
        "kind": LegalFund.Kind.LEGAL_DEFENSE,
        "organization": "denver-immigrant-legal-services-fund",
        "name_en": "Denver Immigrant Legal Services Fund",
        "name_es": "Denver Immigrant Legal Services Fund",
        "summary_en": "Pays for free legal counsel for people facing possible deportation. "
                      "It takes donations.",
        "summary_es": "Paga asesoría legal gratis para personas que podrían ser deportadas. "
                      "Acepta donaciones.",
        "description_en": (
            "The City of Denver created this fund by Executive Order 142 in 2017, and The "
            "Denver Foundation manages it. In July 2019, Denver's mayor and city offices "
            "asked everyone who wants to help immigrant families to donate to it."
        ),
        "description_es": (
            "La Ciudad de Denver creó este fondo con la Orden Ejecutiva 142 en 2017, y The "
            "Denver Foundation lo administra. En julio de 2019, el alcalde y las oficinas de "
            "la ciudad pidieron a quienes quieran ayudar a las familias inmigrantes que "
            "donen a este fondo."
        ),
        "pays_for_en": "Free legal counsel for people who face possible deportation.",
        "pays_for_es": "Asesoría legal gratis para personas que podrían ser deportadas.",
        "areas_served": ["denver"],
        "categories": ["legal-help"],
        "sources": [JULY, DENVERGOV, DENVER_FOUNDATION],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
]

# Phone and visiting rules: not reported.
DETENTION_FACILITIES = [
    {
        "slug": "denver-contract-detention-facility",
        "name_en": "GEO Group ICE detention facility in Aurora",
        "name_es": "Centro de detención de ICE de GEO Group en Aurora",
        "official_name": "Denver Contract Detention Facility",
        "other_names": "Aurora ICE Processing Center",
        "operator": "the-geo-group",
        "authority": "ice",
        "kind": DetentionFacility.Kind.CONTRACT,
        "location": "aurora-detention-facility",
        "locator_url": "https://locator.ice.gov/odls/",
        "summary_en": "An immigration detention facility in Aurora, run by The GEO Group for "
                      "ICE. Its official name is “Denver Contract Detention Facility”.",
        "summary_es": "Un centro de detención de inmigrantes en Aurora. Lo maneja The GEO "
                      "Group para ICE. Su nombre oficial es “Denver Contract Detention "
                      "Facility”.",
        "description_en": (
            "In ICE's records the facility is called “Denver Contract Detention Facility”. "
            "It is also called “Aurora ICE Processing Center”. In June 2019, a member of "
            "Congress spoke of “problems at the Aurora detention center”. In July 2019, "
            "advocates planned a protest there."
        ),
        "description_es": (
            "En los registros de ICE, este centro se llama “Denver Contract Detention "
            "Facility”. También lo llaman “Aurora ICE Processing Center”. En junio de 2019, "
            "un miembro del Congreso habló de “problemas en el centro de detención de "
            "Aurora”. En julio de 2019, grupos que defienden a los inmigrantes planearon una "
            "protesta allí."
        ),
        "how_to_find_someone_en": (
            "Use ICE's Online Detainee Locator System (locator.ice.gov). It finds an adult "
            "held by ICE in two ways: by the person's A-number and country of birth, or by "
            "their exact name and country of birth."
        ),
        "how_to_find_someone_es": (
            "Use el localizador de detenidos en línea de ICE (locator.ice.gov). Encuentra a "
            "un adulto detenido por ICE de dos formas: con su número A (A-number) y su país "
            "de nacimiento, o con su nombre exacto y su país de nacimiento."
        ),
        "areas_served": ["aurora"],
        "categories": ["detention"],
        "sources": [JULY, JUNE, DENVER_POST, WESTWORD, ICE_LOCATOR],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
]

# Cost only where the article says it; who gives legal help is not stated anywhere.
SERVICES = [
    {
        "slug": "circ-know-your-rights-sessions",
        "organization": "colorado-immigrant-rights-coalition",
        "name_en": "Know-your-rights learning sessions for families",
        "name_es": "Charlas para familias sobre sus derechos",
        "summary_en": "Sessions where families learn their rights.",
        "summary_es": "Charlas donde las familias aprenden cuáles son sus derechos.",
        "description_en": (
            "In July 2019, Denver7 reported that the Colorado Immigrant Rights Coalition was "
            "holding learning sessions for families to learn their rights. The article gave "
            "no dates, places or cost."
        ),
        "description_es": (
            "En julio de 2019, Denver7 contó que la Colorado Immigrant Rights Coalition daba "
            "charlas para que las familias aprendan sus derechos. La noticia no dio fechas, "
            "lugares ni costo."
        ),
        "areas_served": ["colorado"],
        "categories": ["know-your-rights"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "circ-deportation-proceedings-support",
        "organization": "colorado-immigrant-rights-coalition",
        "name_en": "Support for families in deportation proceedings",
        "name_es": "Apoyo para familias en proceso de deportación",
        "summary_en": "The coalition has staff for families who are involved in deportation "
                      "proceedings.",
        "summary_es": "La coalición tiene personal para apoyar a familias que están en un "
                      "proceso de deportación.",
        "description_en": (
            "In July 2019, Denver7 reported that the Colorado Immigrant Rights Coalition had "
            "staff for families involved in deportation proceedings. The article did not say "
            "what help the staff give, or whether it is legal representation."
        ),
        "description_es": (
            "En julio de 2019, Denver7 contó que la Colorado Immigrant Rights Coalition tenía "
            "personal para familias en proceso de deportación. La noticia no dijo qué ayuda "
            "dan ni si es representación legal."
        ),
        "areas_served": ["colorado"],
        "categories": ["legal-help"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "denver-fund-free-legal-counsel",
        "organization": "denver-immigrant-legal-services-fund",
        "cost": Service.Cost.FREE,
        "name_en": "Free legal counsel for people facing possible deportation",
        "name_es": "Asesoría legal gratis para personas que podrían ser deportadas",
        "summary_en": "The Denver Immigrant Legal Services Fund helps pay for free legal "
                      "counsel for people who face possible deportation.",
        "summary_es": "El Denver Immigrant Legal Services Fund ayuda a pagar asesoría legal "
                      "gratis para personas que podrían ser deportadas.",
        "description_en": (
            "Reported by Denver7 in July 2019. The article did not say who can get this help "
            "or how to ask for it."
        ),
        "description_es": (
            "Según Denver7, en julio de 2019. La noticia no dijo quién puede recibir esta "
            "ayuda ni cómo pedirla."
        ),
        "areas_served": ["denver"],
        "categories": ["legal-help"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
]

# `stated_on` is the publication date of the article that reports the statement. Whether
# each statement is still in force is unknown, so `is_in_force` stays empty.
POLICIES = [
    {
        "slug": "denver-police-no-ice-raids",
        "organization": "denver-police-department",
        "stated_on": JULY_ARTICLE_DATE,
        "spoken_by_en": "Mayor Michael Hancock and Police Chief Paul Pazen",
        "spoken_by_es": "El alcalde Michael Hancock y el jefe de policía Paul Pazen",
        "quote_language": "en",
        "name_en": "Denver Police: no part in ICE raids",
        "name_es": "Policía de Denver: no participa en redadas de ICE",
        "summary_en": "Denver police officers will not be involved in the ICE raids and will "
                      "never assist federal immigration enforcement.",
        "summary_es": "Los policías de Denver no participarán en las redadas de ICE y nunca "
                      "ayudarán al gobierno federal a aplicar las leyes de inmigración.",
        "description_en": (
            "Denver's mayor and police chief said this at a news conference, as Denver7 "
            "reported in July 2019. The article sums up their words; it does not quote "
            "them. This is a statement, not a law."
        ),
        "description_es": (
            "El alcalde y el jefe de policía de Denver lo dijeron en una conferencia de "
            "prensa, según Denver7 en julio de 2019. La noticia resume sus palabras; no las "
            "cita. Es una declaración, no una ley."
        ),
        "areas_served": ["denver"],
        "categories": ["local-policies"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
    {
        "slug": "city-of-denver-stands-with-immigrant-families",
        "organization": "city-of-denver",
        "stated_on": JUNE_ARTICLE_DATE,
        "spoken_by_en": "Mayor's office, City of Denver (Mayor Michael B. Hancock)",
        "spoken_by_es": "Oficina del alcalde, Ciudad de Denver (alcalde Michael B. Hancock)",
        "quote_language": "en",
        "quote_en": (
            "… stands with our immigrant and refugee families … do not support family "
            "separation or the round-up of immigrant families to spread fear in our "
            "community."
        ),
        "quote_es": (
            "… está con nuestras familias inmigrantes y refugiadas … no apoyan la separación "
            "de familias ni las redadas contra familias inmigrantes para sembrar miedo en "
            "nuestra comunidad."
        ),
        "name_en": "City of Denver: no advance notice of ICE activity; stands with "
                   "immigrant families",
        "name_es": "Ciudad de Denver: no recibe aviso de ICE; está con las familias "
                   "inmigrantes",
        "summary_en": "The city says it gets no advance notice of ICE activity, stands with "
                      "immigrant and refugee families, and does not support family "
                      "separation.",
        "summary_es": "La ciudad dice que no recibe aviso antes de las acciones de ICE, que "
                      "está con las familias inmigrantes y refugiadas, y que no apoya la "
                      "separación de familias.",
        "description_en": (
            "The mayor's office said this in a statement on June 21, 2019, as Denver7 "
            "reported. That day the mayor also wrote that Denver Police and the City of "
            "Denver “would never receive advance notice” of ICE activity. This is a "
            "statement, not a law."
        ),
        "description_es": (
            "La oficina del alcalde lo dijo en un comunicado el 21 de junio de 2019, según "
            "Denver7. Ese día el alcalde también escribió que la policía y la Ciudad de "
            "Denver nunca reciben aviso antes de las acciones de ICE. Es una declaración, no "
            "una ley."
        ),
        "areas_served": ["denver"],
        "categories": ["local-policies"],
        "sources": [JUNE],
        "last_verified_on": JUNE_ARTICLE_DATE,
    },
    {
        "slug": "aurora-police-immigration-status",
        "organization": "aurora-police-department",
        "stated_on": JUNE_ARTICLE_DATE,
        "spoken_by_en": "Aurora Police Chief Nick Metz",
        "spoken_by_es": "El jefe de policía de Aurora, Nick Metz",
        "quote_language": "en",
        "quote_en": (
            "It is not our practice to report to other agencies who we speak with or what "
            "their immigration status is for being in this country or in our city."
        ),
        "quote_es": (
            "No es nuestra costumbre informar a otras agencias con quién hablamos ni cuál es "
            "su estatus migratorio por estar en este país o en nuestra ciudad."
        ),
        "name_en": "Aurora Police: officers do not enforce immigration law",
        "name_es": "Policía de Aurora: sus policías no aplican las leyes de inmigración",
        "summary_en": "Aurora officers cannot detain anyone because of immigration status and "
                      "do not investigate or enforce federal immigration law. They do not "
                      "usually tell other agencies who they speak with or their status.",
        "summary_es": "Los policías de Aurora no pueden detener a nadie por su estatus "
                      "migratorio y no investigan ni aplican las leyes federales de "
                      "inmigración. No suelen decir a otras agencias con quién hablan.",
        "description_en": (
            "Aurora's police chief said this in a statement, as Denver7 reported on June 21, "
            "2019. This is a statement, not a law."
        ),
        "description_es": (
            "El jefe de policía de Aurora lo dijo en un comunicado, según Denver7 el 21 de "
            "junio de 2019. Es una declaración, no una ley."
        ),
        "areas_served": ["aurora"],
        "categories": ["local-policies"],
        "sources": [JUNE],
        "last_verified_on": JUNE_ARTICLE_DATE,
    },
    {
        "slug": "dps-schools-for-all-students",
        "organization": "denver-public-schools",
        "stated_on": JULY_ARTICLE_DATE,
        "spoken_by_en": "Denver Public Schools Superintendent Cordova",
        "spoken_by_es": "Cordova, superintendente de las Escuelas Públicas de Denver",
        "quote_language": "en",
        "quote_en": (
            "I write this message today to reassure our families that our schools have been "
            "and will continue to be places for all students regardless of immigration "
            "status, national origin, religion or race."
        ),
        "quote_es": (
            "Les escribo hoy este mensaje para dar tranquilidad a nuestras familias: "
            "nuestras escuelas han sido y seguirán siendo lugares para todos los "
            "estudiantes, sin importar su estatus migratorio, país de origen, religión o "
            "raza."
        ),
        "name_en": "Denver Public Schools: schools are for all students",
        "name_es": "Escuelas Públicas de Denver: las escuelas son para todos los estudiantes",
        "summary_en": "Schools are places for all students regardless of immigration status. "
                      "The district will not share information about any student unless the "
                      "law requires it.",
        "summary_es": "Las escuelas son para todos los estudiantes, sin importar su estatus "
                      "migratorio. El distrito no compartirá información de ningún estudiante, "
                      "a menos que la ley lo exija.",
        "description_en": (
            "The superintendent sent this notice to district families, as Denver7 reported "
            "in July 2019. It also said the district would do all it could to protect "
            "students from enforcement actions. This is a statement of what the district "
            "will do, not a law."
        ),
        "description_es": (
            "La superintendencia envió este aviso a las familias del distrito, según Denver7 "
            "en julio de 2019. También dijo que el distrito haría todo lo posible para "
            "proteger a los estudiantes de las acciones de inmigración. Es una declaración "
            "de lo que hará el distrito, no una ley."
        ),
        "areas_served": ["denver"],
        "categories": ["local-policies"],
        "sources": [JULY],
        "last_verified_on": JULY_ARTICLE_DATE,
    },
]

RECORD_M2M_FIELDS = ("areas_served", "languages", "categories", "sources")


@dataclass
class LoadReport:
    """How many rows of each model the load created, updated or left alone."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def total_created(self):
        return sum(self.created.values())

    @property
    def total_updated(self):
        return sum(self.updated.values())

    @property
    def total_unchanged(self):
        return sum(self.unchanged.values())

    def summary(self):
        return (f"Sample data: {self.total_created} created, {self.total_updated} updated, "
                f"{self.total_unchanged} unchanged.")


def _differs(obj, name, value):
    model_field = obj._meta.get_field(name)
    current = getattr(obj, model_field.attname)
    if model_field.is_relation:
        return current != (value.pk if value is not None else None)
    return current != model_field.to_python(value)


def upsert(model, lookup, values, *, m2m=None, report):
    """Find `model` by the natural key `lookup` and make it hold `values` and `m2m`.

    Creates the row if it is missing; otherwise saves only when a value differs and sets a
    many-to-many relation only when its set differs, so an unchanged row gets no new
    history. `full_clean()` runs before every save.
    """
    label = model._meta.label
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        status = "created"
    else:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.full_clean()
            obj.save()
        status = "updated" if changed else "unchanged"
    for name, related in (m2m or {}).items():
        manager = getattr(obj, name)
        wanted = {item.pk for item in related}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(related)
            if status == "unchanged":
                status = "updated"
    getattr(report, status)[label] += 1
    return obj


class _Loader:
    """Loads the lists above in dependency order, resolving references by natural key."""

    def __init__(self, report):
        self.report = report
        self.refs = {
            "sources": {}, "areas_served": {}, "categories": {}, "languages": {},
            "organizations": {}, "locations": {},
        }

    def _record(self, model, item, foreign_keys):
        values = dict(item)
        slug = values.pop("slug")
        m2m = {name: [self.refs[name][key] for key in values.pop(name, [])]
               for name in RECORD_M2M_FIELDS}
        for name, table in foreign_keys.items():
            key = values.get(name)
            values[name] = self.refs[table][key] if key else None
        values.setdefault("is_published", True)
        return upsert(model, {"slug": slug}, values, m2m=m2m, report=self.report)

    def load(self):
        for item in SOURCES:
            values = dict(item)
            key = values.pop("key")
            if values["url"]:
                lookup = {"url": values.pop("url")}
            else:
                lookup = {"publisher": values.pop("publisher"), "title": values.pop("title")}
            self.refs["sources"][key] = upsert(Source, lookup, values, report=self.report)

        for item in REGIONS:
            values = dict(item)
            slug = values.pop("slug")
            parent = values.pop("parent")
            values["parent"] = self.refs["areas_served"][parent] if parent else None
            self.refs["areas_served"][slug] = upsert(Region, {"slug": slug}, values,
                                                     report=self.report)

        for item in CATEGORIES:
            values = dict(item)
            slug = values.pop("slug")
            self.refs["categories"][slug] = upsert(Category, {"slug": slug}, values,
                                                   report=self.report)

        for item in LANGUAGES:
            values = dict(item)
            code = values.pop("code")
            self.refs["languages"][code] = upsert(Language, {"code": code}, values,
                                                  report=self.report)

        for item in ORGANIZATIONS:
            self.refs["organizations"][item["slug"]] = self._record(
                Organization, item, {"parent": "organizations"})

        for item in LOCATIONS:
            values = dict(item)
            key = values.pop("key")
            lookup = {"name_en": values.pop("name_en"), "city": values.pop("city")}
            values["region"] = self.refs["areas_served"][values["region"]]
            self.refs["locations"][key] = upsert(Location, lookup, values, report=self.report)

        for item in HOTLINES:
            values = dict(item)
            menu_options = values.pop("menu_options", [])
            hotline = self._record(Hotline, values, {"organization": "organizations"})
            for position, option in enumerate(menu_options):
                option_values = dict(option)
                digits = option_values.pop("digits")
                option_values.setdefault("position", position)
                upsert(HotlineMenuOption, {"hotline": hotline, "digits": digits},
                       option_values, report=self.report)

        for item in LEGAL_FUNDS:
            self._record(LegalFund, item, {"organization": "organizations"})

        for item in DETENTION_FACILITIES:
            self._record(DetentionFacility, item, {
                "operator": "organizations", "authority": "organizations",
                "location": "locations"})

        for item in SERVICES:
            self._record(Service, item, {"organization": "organizations"})

        for item in POLICIES:
            self._record(Policy, item, {"organization": "organizations"})


def load_sample_data():
    """Load every sample directory record in one transaction; return a `LoadReport`.

    Safe to run again: a second run creates and changes nothing.
    """
    report = LoadReport()
    with transaction.atomic():
        _Loader(report).load()
    return report
