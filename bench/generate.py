"""A realistic national directory of N records in a database of its own, for `make bench`.

    DATABASE_URL=postgres://… python -m bench.generate --records 100000 [--force]
    python -m bench.generate --records 100          # SQLite file var/bench-100.sqlite3

It migrates the database, loads the Denver sample data, then adds, always the same for
the same N (a fixed seed), organizations with their locations, services, hotlines with
menu options, legal funds, detention facilities, local policies and notices (published,
scheduled, expired, withdrawn and drafts), with hours (24 hours, closed days, past
midnight), nested regions (the states, metro areas and cities of the ten cities the 2019
articles name), languages, categories and sources. Text is in English and Spanish (a
share in English only, to exercise the fallback), drawn from topics, so a common word
such as "legal" or "ayuda" is in a realistic share of the records, not in all of them.

"Records" are the items search finds: organizations, services, hotlines, legal funds,
detention facilities, policies and notices. Locations, hours, menu options, regions and
the rest come on top.

Rows are written with plain INSERTs in batches (no model instances, no signals, no history
rows), then the search index is rebuilt. A marker row (a Source titled MARKER_TITLE,
whose notes say N, the seed and the generator's version) tells a second run that the
data is there: it prints the counts and exits. A database holding other data is refused
unless `--force`; `--force`, or a marker for another N, empties the database first
(deletes the SQLite file, or drops and recreates PostgreSQL's public schema).
"""

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = 2019
VERSION = 2
MARKER_TITLE = "Amparo bench: generated directory"

# The share of each kind among the records (sums to 1).
SHARES = {
    "organization": 0.12,
    "service": 0.50,
    "hotline": 0.08,
    "legalfund": 0.04,
    "detentionfacility": 0.02,
    "policy": 0.10,
    "notice": 0.14,
}


# --- Command line and settings ----------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000,
                        help="how many records to generate (default 100000)")
    parser.add_argument("--force", action="store_true",
                        help="empty the database and generate again")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error("--records must be at least 1")
    return args


def sqlite_path(records):
    return BASE_DIR / "var" / f"bench-{records}.sqlite3"


def configure(records):
    """Point Django at the bench database before it starts; answers the URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("DJANGO_SECRET_KEY") and os.environ.get("DJANGO_DEBUG") != "1":
        # Settings refuse to start without a key; the generator signs nothing.
        os.environ["DJANGO_SECRET_KEY"] = "bench-generator-signs-nothing"
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = sqlite_path(records)
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
        os.environ["DATABASE_URL"] = url
    if url.startswith("sqlite") and urlsplit(url).path.rstrip("/").endswith("db.sqlite3") \
            and Path(urlsplit(url).path).resolve() == (BASE_DIR / "db.sqlite3").resolve():
        raise SystemExit("Refusing to generate into the project's db.sqlite3; "
                         "unset DATABASE_URL to use var/bench-N.sqlite3.")
    return url


def display_url(url):
    """The URL without a password."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def ensure_postgres_database(url):
    """Create the PostgreSQL database the URL names when it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name == "postgres":
        return
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"Created PostgreSQL database {name}.")


def empty_database(url):
    """Everything gone: the SQLite file removed, or PostgreSQL's public schema remade."""
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.close()
        path = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()


# --- Vocabulary ----------------------------------------------------------------------------

# (state slug, English, Spanish, USPS code, area code, ZIP prefix)
STATES = [
    ("colorado", "Colorado", "Colorado", "CO", "303", "80"),
    ("georgia", "Georgia", "Georgia", "GA", "404", "30"),
    ("maryland", "Maryland", "Maryland", "MD", "410", "21"),
    ("illinois", "Illinois", "Illinois", "IL", "312", "60"),
    ("texas", "Texas", "Texas", "TX", "713", "77"),
    ("california", "California", "California", "CA", "213", "90"),
    ("florida", "Florida", "Florida", "FL", "305", "33"),
    ("louisiana", "Louisiana", "Luisiana", "LA", "504", "70"),
    ("new-york-state", "New York State", "Estado de Nueva York", "NY", "212", "10"),
]
# The ten cities of the 2019 reports, each a metro area with cities around it:
# (metro slug, state slug, English, Spanish, latitude, longitude, weight, cities)
# where a city is (slug, English, Spanish); Denver and Aurora come from the sample data.
METROS = [
    ("denver-metro", "colorado", "Denver metro area", "área metropolitana de Denver",
     39.74, -104.99, 12, [("denver", "Denver", "Denver"), ("aurora", "Aurora", "Aurora"),
                          ("lakewood-co", "Lakewood", "Lakewood"),
                          ("thornton-co", "Thornton", "Thornton"),
                          ("commerce-city-co", "Commerce City", "Commerce City")]),
    ("atlanta-metro", "georgia", "Atlanta metro area", "área metropolitana de Atlanta",
     33.75, -84.39, 8, [("atlanta", "Atlanta", "Atlanta"), ("decatur-ga", "Decatur", "Decatur"),
                        ("marietta-ga", "Marietta", "Marietta"),
                        ("gainesville-ga", "Gainesville", "Gainesville")]),
    ("baltimore-metro", "maryland", "Baltimore metro area", "área metropolitana de Baltimore",
     39.29, -76.61, 6, [("baltimore", "Baltimore", "Baltimore"), ("towson-md", "Towson", "Towson"),
                        ("dundalk-md", "Dundalk", "Dundalk")]),
    ("chicago-metro", "illinois", "Chicago metro area", "área metropolitana de Chicago",
     41.88, -87.63, 12, [("chicago", "Chicago", "Chicago"), ("cicero-il", "Cicero", "Cicero"),
                         ("waukegan-il", "Waukegan", "Waukegan"), ("elgin-il", "Elgin", "Elgin"),
                         ("aurora-il", "Aurora", "Aurora")]),
    ("houston-metro", "texas", "Houston metro area", "área metropolitana de Houston",
     29.76, -95.37, 12, [("houston", "Houston", "Houston"),
                         ("pasadena-tx", "Pasadena", "Pasadena"),
                         ("sugar-land-tx", "Sugar Land", "Sugar Land"),
                         ("baytown-tx", "Baytown", "Baytown")]),
    ("los-angeles-metro", "california", "Los Angeles metro area",
     "área metropolitana de Los Ángeles", 34.05, -118.24, 16,
     [("los-angeles", "Los Angeles", "Los Ángeles"), ("santa-ana-ca", "Santa Ana", "Santa Ana"),
      ("long-beach-ca", "Long Beach", "Long Beach"), ("el-monte-ca", "El Monte", "El Monte"),
      ("pomona-ca", "Pomona", "Pomona")]),
    ("san-francisco-metro", "california", "San Francisco Bay Area",
     "área de la Bahía de San Francisco", 37.77, -122.42, 9,
     [("san-francisco", "San Francisco", "San Francisco"), ("oakland-ca", "Oakland", "Oakland"),
      ("san-jose-ca", "San Jose", "San José"), ("richmond-ca", "Richmond", "Richmond")]),
    ("miami-metro", "florida", "Miami metro area", "área metropolitana de Miami",
     25.76, -80.19, 10, [("miami", "Miami", "Miami"), ("hialeah-fl", "Hialeah", "Hialeah"),
                         ("homestead-fl", "Homestead", "Homestead"),
                         ("doral-fl", "Doral", "Doral")]),
    ("new-orleans-metro", "louisiana", "New Orleans metro area",
     "área metropolitana de Nueva Orleans", 29.95, -90.07, 5,
     [("new-orleans", "New Orleans", "Nueva Orleans"), ("metairie-la", "Metairie", "Metairie"),
      ("kenner-la", "Kenner", "Kenner")]),
    ("new-york-metro", "new-york-state", "New York metro area",
     "área metropolitana de Nueva York", 40.71, -74.01, 16,
     [("new-york-city", "New York City", "Ciudad de Nueva York"),
      ("yonkers-ny", "Yonkers", "Yonkers"), ("hempstead-ny", "Hempstead", "Hempstead"),
      ("white-plains-ny", "White Plains", "White Plains")]),
]

LANGUAGES = [
    ("vi", "Vietnamese", "vietnamita"), ("zh", "Chinese", "chino"), ("ar", "Arabic", "árabe"),
    ("ht", "Haitian Creole", "criollo haitiano"), ("fr", "French", "francés"),
    ("pt", "Portuguese", "portugués"), ("quc", "K'iche'", "k'iche'"), ("mam", "Mam", "mam"),
    ("tl", "Tagalog", "tagalo"), ("ko", "Korean", "coreano"), ("ru", "Russian", "ruso"),
    ("am", "Amharic", "amárico"), ("so", "Somali", "somalí"), ("ne", "Nepali", "nepalí"),
]

# Categories besides the sample data's six: (slug, English, Spanish, position)
CATEGORIES = [
    ("health", "Health care", "Salud", 70), ("housing", "Housing", "Vivienda", 80),
    ("food", "Food", "Alimentos", 90), ("education", "English classes and school",
                                        "Clases de inglés y escuela", 100),
    ("work", "Workers' rights", "Derechos laborales", 110),
    ("family", "Family and children", "Familia y niños", 120),
    ("documents", "Papers and consulates", "Documentos y consulados", 130),
    ("mental-health", "Mental health", "Salud mental", 140),
]

# Each topic: its weight among records, its category, organization names, service names
# and sentences, each an (English, Spanish) pair.
TOPICS = {
    "legal": {
        "weight": 20, "category": "legal-help",
        "orgs": [("Immigrant Legal Center", "Centro Legal para Inmigrantes"),
                 ("Immigration Law Project", "Proyecto de Derecho Migratorio"),
                 ("Legal Aid Society", "Sociedad de Asistencia Legal"),
                 ("Pro Bono Immigration Network", "Red Pro Bono de Inmigración")],
        "services": [("Free legal consultation", "Consulta legal gratuita"),
                     ("Immigration legal clinic", "Clínica legal de inmigración"),
                     ("Deportation defense", "Defensa contra la deportación"),
                     ("Asylum application help", "Ayuda con la solicitud de asilo"),
                     ("DACA renewal clinic", "Clínica de renovación de DACA"),
                     ("Citizenship application workshop", "Taller de solicitud de ciudadanía"),
                     ("Lawyer referral line", "Referencias a abogados")],
        "sentences": [
            ("An immigration attorney reviews your case and explains your options.",
             "Un abogado de inmigración revisa su caso y le explica sus opciones."),
            ("Free legal advice for families facing deportation.",
             "Asesoría legal gratuita para familias en proceso de deportación."),
            ("Help with asylum, visas, green cards and citizenship.",
             "Ayuda con asilo, visas, residencia permanente y ciudadanía."),
            ("Representation in immigration court for people who cannot pay a lawyer.",
             "Representación en la corte de inmigración para quienes no pueden pagar un "
             "abogado."),
            ("A DOJ-accredited representative answers questions about your papers.",
             "Un representante acreditado responde preguntas sobre sus documentos."),
        ],
    },
    "bond": {
        "weight": 6, "category": "legal-help",
        "orgs": [("Community Bond Fund", "Fondo Comunitario de Fianzas"),
                 ("Freedom Fund", "Fondo por la Libertad")],
        "services": [("Immigration bond help", "Ayuda con la fianza de inmigración"),
                     ("Bond payment assistance", "Ayuda para pagar la fianza")],
        "sentences": [
            ("The fund pays immigration bonds so people can wait for court at home.",
             "El fondo paga fianzas de inmigración para que las personas esperen su corte "
             "en casa."),
            ("Ask about a bond hearing as soon as a relative is detained.",
             "Pregunte por una audiencia de fianza en cuanto detengan a un familiar."),
            ("Bond money is returned when the case ends.",
             "El dinero de la fianza se devuelve cuando termina el caso."),
        ],
    },
    "detention": {
        "weight": 6, "category": "detention",
        "orgs": [("Detention Visitation Program", "Programa de Visitas a Detenidos"),
                 ("Families of the Detained", "Familias de Personas Detenidas")],
        "services": [("Visits to people in detention", "Visitas a personas detenidas"),
                     ("Help finding a detained relative", "Ayuda para encontrar a un familiar "
                                                          "detenido"),
                     ("Commissary and phone money", "Dinero para teléfono y comisaría")],
        "sentences": [
            ("Volunteers visit people held in immigration detention.",
             "Voluntarios visitan a personas en detención migratoria."),
            ("Use the ICE online detainee locator with the person's A-number.",
             "Use el localizador de detenidos de ICE con el número A de la persona."),
            ("We help families keep in touch with a detained relative.",
             "Ayudamos a las familias a mantener contacto con un familiar detenido."),
        ],
    },
    "rapid": {
        "weight": 7, "category": "rapid-response",
        "orgs": [("Rapid Response Network", "Red de Respuesta Rápida"),
                 ("Immigrant Rights Coalition", "Coalición por los Derechos de los Inmigrantes")],
        "services": [("Raid response team", "Equipo de respuesta a redadas"),
                     ("Accompaniment to check-ins", "Acompañamiento a citas con ICE")],
        "sentences": [
            ("Trained responders confirm reports of ICE activity before sharing them.",
             "Personas capacitadas confirman los reportes de actividad de ICE antes de "
             "compartirlos."),
            ("Call the hotline to report a raid or an arrest.",
             "Llame a la línea de ayuda para reportar una redada o un arresto."),
            ("Do not share rumors: report what you saw, where and when.",
             "No comparta rumores: reporte lo que vio, dónde y cuándo."),
        ],
    },
    "rights": {
        "weight": 8, "category": "know-your-rights",
        "orgs": [("Know Your Rights Project", "Proyecto Conozca sus Derechos")],
        "services": [("Know your rights workshop", "Taller Conozca sus derechos"),
                     ("Family preparedness session", "Charla para preparar a su familia")],
        "sentences": [
            ("You have the right to remain silent and not to open the door.",
             "Usted tiene derecho a guardar silencio y a no abrir la puerta."),
            ("Learn what to do if agents come to your home or work.",
             "Aprenda qué hacer si llegan agentes a su casa o trabajo."),
            ("Make a family plan and keep important papers in one place.",
             "Haga un plan familiar y guarde los papeles importantes en un solo lugar."),
        ],
    },
    "health": {
        "weight": 12, "category": "health",
        "orgs": [("Community Health Center", "Centro de Salud Comunitario"),
                 ("Family Clinic", "Clínica Familiar")],
        "services": [("Primary care clinic", "Clínica de atención primaria"),
                     ("Prenatal care", "Atención prenatal"),
                     ("Dental care", "Atención dental"),
                     ("Vaccines for children", "Vacunas para niños")],
        "sentences": [
            ("Care for everyone, whatever their insurance or papers.",
             "Atención para todos, sin importar su seguro o sus papeles."),
            ("Doctors and nurses who speak Spanish.",
             "Médicos y enfermeras que hablan español."),
            ("Low-cost visits on a sliding scale by income.",
             "Consultas de bajo costo según sus ingresos."),
        ],
    },
    "housing": {
        "weight": 6, "category": "housing",
        "orgs": [("Tenant Union", "Unión de Inquilinos"),
                 ("Housing Justice Center", "Centro por la Vivienda Justa")],
        "services": [("Eviction prevention", "Prevención de desalojos"),
                     ("Rent assistance", "Ayuda con la renta"),
                     ("Emergency shelter", "Albergue de emergencia")],
        "sentences": [
            ("Tenants have rights whatever their immigration status.",
             "Los inquilinos tienen derechos sin importar su estatus migratorio."),
            ("Help with rent, deposits and utility bills.",
             "Ayuda con la renta, depósitos y facturas de servicios."),
        ],
    },
    "food": {
        "weight": 6, "category": "food",
        "orgs": [("Community Food Bank", "Banco de Alimentos Comunitario")],
        "services": [("Food pantry", "Despensa de alimentos"),
                     ("Hot meals", "Comidas calientes")],
        "sentences": [
            ("Groceries every week, no questions asked.",
             "Comida cada semana, sin preguntas."),
            ("Fresh fruit and vegetables for families.",
             "Frutas y verduras frescas para las familias."),
        ],
    },
    "education": {
        "weight": 7, "category": "education",
        "orgs": [("Adult Learning Center", "Centro de Aprendizaje para Adultos")],
        "services": [("English classes", "Clases de inglés"),
                     ("Citizenship test preparation", "Preparación para el examen de "
                                                      "ciudadanía"),
                     ("GED in Spanish", "GED en español")],
        "sentences": [
            ("Evening classes for adults at every level.",
             "Clases nocturnas para adultos de todos los niveles."),
            ("Schools serve every child, whatever their papers.",
             "Las escuelas atienden a todos los niños, tengan o no papeles."),
        ],
    },
    "work": {
        "weight": 6, "category": "work",
        "orgs": [("Worker Center", "Centro de Trabajadores")],
        "services": [("Wage theft claims", "Reclamos por robo de salario"),
                     ("Workplace safety training", "Capacitación en seguridad laboral")],
        "sentences": [
            ("Get back wages your employer did not pay.",
             "Recupere el salario que su empleador no le pagó."),
            ("Every worker has rights on the job.",
             "Todo trabajador tiene derechos en el trabajo."),
        ],
    },
    "family": {
        "weight": 5, "category": "family",
        "orgs": [("Family Support Center", "Centro de Apoyo Familiar")],
        "services": [("Power of attorney for children", "Poder notarial para los hijos"),
                     ("Parenting support", "Apoyo para padres")],
        "sentences": [
            ("Plan who will care for your children if you are detained.",
             "Planee quién cuidará a sus hijos si lo detienen."),
            ("Support for children whose parents were deported.",
             "Apoyo para niños cuyos padres fueron deportados."),
        ],
    },
    "documents": {
        "weight": 5, "category": "documents",
        "orgs": [("Consulate", "Consulado")],
        "services": [("Passport and consular ID", "Pasaporte y matrícula consular"),
                     ("Birth certificates", "Actas de nacimiento")],
        "sentences": [
            ("Bring an appointment confirmation and two forms of ID.",
             "Traiga la confirmación de su cita y dos identificaciones."),
            ("Consular protection for nationals who are detained.",
             "Protección consular para connacionales detenidos."),
        ],
    },
    "mental": {
        "weight": 4, "category": "mental-health",
        "orgs": [("Counseling Center", "Centro de Consejería")],
        "services": [("Counseling in Spanish", "Consejería en español"),
                     ("Support groups", "Grupos de apoyo")],
        "sentences": [
            ("Talk to a counselor about fear, stress and loss.",
             "Hable con un consejero sobre el miedo, el estrés y la pérdida."),
        ],
    },
}

# Sentences any record may carry.
COMMON_SENTENCES = [
    ("Call ahead to make an appointment.", "Llame antes para hacer una cita."),
    ("Walk-ins are welcome on weekdays.", "Se atiende sin cita entre semana."),
    ("Bring any papers you have.", "Traiga los papeles que tenga."),
    ("We do not ask about immigration status.", "No preguntamos por el estatus migratorio."),
    ("Services in English and Spanish.", "Servicios en inglés y español."),
    ("What you tell us stays confidential.", "Lo que nos diga es confidencial."),
    ("Parking is behind the building.", "Hay estacionamiento detrás del edificio."),
    ("Children are welcome.", "Los niños son bienvenidos."),
    ("Near the bus stop.", "Cerca de la parada del autobús."),
    ("Interpreters can be arranged.", "Podemos conseguir intérpretes."),
    ("Volunteers run this program.", "Este programa lo hacen voluntarios."),
    ("Open to residents of the county.", "Abierto a los residentes del condado."),
]

ORG_KINDS = [("nonprofit", 55), ("legal_services", 12), ("faith_community", 10),
             ("government_agency", 6), ("school_district", 4), ("police", 4),
             ("consulate", 3), ("fund", 3), ("enforcement_agency", 2),
             ("detention_operator", 1)]
STREETS = ["Colfax Ave", "Federal Blvd", "Main St", "Broadway", "Elm St", "Oak St",
           "Washington Ave", "Lincoln St", "Cesar Chavez Blvd", "Market St", "Church St",
           "Park Ave", "Central Ave", "2nd St", "5th Ave", "Mission St", "Halsted St"]
PLACES = [("Public Library", "Biblioteca Pública"), ("Community Center", "Centro Comunitario"),
          ("Recreation Center", "Centro Recreativo"), ("Parish Hall", "Salón Parroquial")]
MENU_OPTIONS = [
    ("Report ICE activity", "Reportar actividad de ICE"),
    ("Talk to a legal advocate", "Hablar con un defensor legal"),
    ("Find a detained family member", "Encontrar a un familiar detenido"),
    ("Questions about the bond fund", "Preguntas sobre el fondo de fianzas"),
    ("Know your rights information", "Información sobre sus derechos"),
    ("Leave a message", "Dejar un mensaje"),
]
HOTLINE_PURPOSES = [
    ("Report ICE activity", "Reportar actividad de ICE", "rapid"),
    ("Free legal help by phone", "Ayuda legal gratis por teléfono", "legal"),
    ("Find a detained relative", "Encontrar a un familiar detenido", "detention"),
    ("Bond fund requests", "Solicitudes al fondo de fianzas", "bond"),
    ("Crisis support", "Apoyo en crisis", "mental"),
    ("Help with housing", "Ayuda con la vivienda", "housing"),
    ("Worker rights line", "Línea de derechos laborales", "work"),
]
POLICY_STATEMENTS = [
    ("does not ask about immigration status", "no pregunta por el estatus migratorio",
     "Officers do not ask anyone about their immigration status.",
     "Los agentes no preguntan a nadie por su estatus migratorio."),
    ("will not help with civil immigration raids",
     "no ayudará en redadas de inmigración civiles",
     "We will not take part in civil immigration enforcement.",
     "No participaremos en operativos civiles de inmigración."),
    ("schools are for all students", "las escuelas son para todos los estudiantes",
     "Agents need a judge's warrant to enter a school.",
     "Los agentes necesitan una orden judicial para entrar a una escuela."),
    ("honors no ICE detainer without a warrant",
     "no cumple órdenes de retención de ICE sin orden judicial",
     "The jail holds no one past release on an ICE request alone.",
     "La cárcel no retiene a nadie después de su liberación solo por una petición de ICE."),
]
NOTICE_KINDS = [
    # (severity, certainty, English title, Spanish title, English summary, Spanish summary)
    ("urgent", "confirmed", "Confirmed ICE activity in {city}",
     "Actividad de ICE confirmada en {city_es}",
     "Responders confirmed ICE agents near {place} this morning. Know your rights and call "
     "the hotline.",
     "Personas de respuesta rápida confirmaron agentes de ICE cerca de {place_es} esta "
     "mañana. Conozca sus derechos y llame a la línea de ayuda."),
    ("advisory", "being_checked", "Reports of a raid in {city} being checked",
     "Se verifican reportes de una redada en {city_es}",
     "We are checking reports of a raid in {city}. Do not share rumors.",
     "Estamos verificando reportes de una redada en {city_es}. No comparta rumores."),
    ("information", "confirmed", "Know-your-rights session in {city}",
     "Charla Conozca sus derechos en {city_es}",
     "A free session with an immigration lawyer at {place}.",
     "Una charla gratuita con un abogado de inmigración en {place_es}."),
    ("information", "confirmed", "Free legal clinic this Saturday in {city}",
     "Clínica legal gratuita este sábado en {city_es}",
     "Free consultations with attorneys, no appointment needed.",
     "Consultas gratuitas con abogados, sin cita."),
    ("advisory", "confirmed", "Office closed in {city}", "Oficina cerrada en {city_es}",
     "The office at {place} is closed today; the hotline is open.",
     "La oficina en {place_es} está cerrada hoy; la línea de ayuda está abierta."),
]


# --- Fast inserts --------------------------------------------------------------------------

class Row:
    """A row to insert: the field values by name, read back as attributes like a model's.

    A foreign key may hold another Row, whose id is known only once it is inserted.
    """

    def __init__(self, model, **values):
        self.__dict__.update(model=model, values=values)

    def __getattr__(self, name):
        values = self.__dict__["values"]
        if name == "pk":
            name = self.__dict__["model"]._meta.pk.attname
        if name in values:
            return values[name]
        if name.endswith("_id") and name[:-3] in values:
            value = values[name[:-3]]
            return getattr(value, "pk", value)
        raise AttributeError(name)


_next_ids = {}


def insert(model, rows, batch_size=2000):
    """INSERT the rows in batches; rows without an auto id get the next ones. Answers rows."""
    from django.db import connection
    from django.utils import timezone

    if not rows:
        return rows
    meta = model._meta
    fields = list(meta.concrete_fields)
    if meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
        if model not in _next_ids:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX({connection.ops.quote_name(meta.pk.column)}) "
                               f"FROM {connection.ops.quote_name(meta.db_table)}")
                _next_ids[model] = (cursor.fetchone()[0] or 0) + 1
        for row in rows:
            if row.values.get(meta.pk.attname) is None:
                row.values[meta.pk.attname] = _next_ids[model]
                _next_ids[model] += 1
    now = timezone.now()
    missing = object()
    plan = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        else:
            default = field.get_default()
        plan.append((field.attname, field.name, default, field.get_db_prep_save))

    def value(row, attname, name, default, prep):
        found = row.values.get(attname, missing)
        if found is missing:
            found = row.values.get(name, missing)
        if found is missing:
            found = default
        elif hasattr(found, "pk"):
            found = found.pk
        return prep(found, connection)

    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, [[value(row, *step) for step in plan]
                                     for row in rows[start:start + batch_size]])
    return rows


def reset_sequences():
    """PostgreSQL's id sequences past the ids written here."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(_next_ids))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- The generator ------------------------------------------------------------------------

class Generator:
    def __init__(self, records, seed=SEED):
        from django.utils import timezone

        self.records = records
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.today = self.now.date()
        self.counts = {}
        self.slug_counter = 0

    # Small helpers.

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def slug(self, text):
        from django.utils.text import slugify

        self.slug_counter += 1
        return f"{slugify(text)[:150]}-{self.slug_counter}"

    def weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights)[0]

    def phone(self, area):
        return f"+1{area}555{self.rng.randint(100, 199):04d}"

    def verified_on(self):
        if self.rng.random() < 0.1:
            return None
        return self.today - datetime.timedelta(days=self.rng.randint(0, 420))

    def sentences(self, topic, count):
        """`count` sentences in each language: from the topic, then common ones."""
        pool = TOPICS[topic]["sentences"]
        chosen = self.rng.sample(pool, min(len(pool), max(1, count - 1)))
        chosen += self.rng.sample(COMMON_SENTENCES, self.rng.randint(1, 2))
        return " ".join(en for en, _es in chosen), " ".join(es for _en, es in chosen)

    def text(self, en, es, english_only):
        """Spanish left empty for a share of records: the page falls back to English."""
        return en, ("" if english_only else es)

    def plan(self):
        """How many records of each kind: at least one each, and at least the home page's
        lists full, so that a small directory shows the same page as a large one and the
        bench compares the cost of more data, not of more content."""
        from directory.views import HOME_LIST_SIZE

        floors = {"detentionfacility": HOME_LIST_SIZE, "legalfund": HOME_LIST_SIZE}
        counts = {kind: max(floors.get(kind, 1), int(self.records * share))
                  for kind, share in SHARES.items()}
        counts["service"] += max(0, self.records - sum(counts.values()))
        return counts

    # The vocabularies.

    def vocabularies(self):
        from directory.models import Category, Language, Region, Source

        regions = {region.slug: region for region in Region.objects.all()}
        country = regions["united-states"]
        for slug, en, es, *_rest in STATES:
            if slug not in regions:
                regions[slug] = Region.objects.create(
                    slug=slug, name=en, name_en=en, name_es=es, kind=Region.Kind.STATE,
                    parent=country)
        self.metros, self.cities = [], []
        for (slug, state, en, es, lat, lon, weight, cities) in METROS:
            if slug not in regions:
                regions[slug] = Region.objects.create(
                    slug=slug, name=en, name_en=en, name_es=es, kind=Region.Kind.COUNTY,
                    parent=regions[state])
            state_row = next(row for row in STATES if row[0] == state)
            metro = {"region": regions[slug], "state": regions[state], "code": state_row[3],
                     "area": state_row[4], "zip": state_row[5], "lat": lat, "lon": lon,
                     "weight": weight, "cities": []}
            for position, (city_slug, city_en, city_es) in enumerate(cities):
                if city_slug not in regions:
                    regions[city_slug] = Region.objects.create(
                        slug=city_slug, name=city_en, name_en=city_en, name_es=city_es,
                        kind=Region.Kind.CITY, parent=regions[slug])
                city = {"region": regions[city_slug], "en": city_en, "es": city_es,
                        "metro": metro, "weight": weight * (3 if position == 0 else 1)}
                metro["cities"].append(city)
                self.cities.append(city)
            self.metros.append(metro)
        self.regions = regions

        for code, en, es in LANGUAGES:
            Language.objects.get_or_create(code=code, defaults={
                "name": en, "name_en": en, "name_es": es})
        self.languages = {language.code: language for language in Language.objects.all()}
        for slug, en, es, position in CATEGORIES:
            Category.objects.get_or_create(slug=slug, defaults={
                "name": en, "name_en": en, "name_es": es, "position": position})
        self.categories = {category.slug: category for category in Category.objects.all()}

        publishers = ["City press office", "County website", "Community newsletter",
                      "Local news report", "Partner organization"]
        sources = []
        for index in range(max(5, self.records // 200)):
            publisher = self.rng.choice(publishers)
            city = self.city()
            sources.append(Row(Source,
                title=f"{publisher}: services in {city['en']} ({index + 1})",
                publisher=publisher, url=f"https://example.org/bench/source/{index + 1}",
                published_on=self.today - datetime.timedelta(days=self.rng.randint(0, 2000))))
        self.sources = insert(Source, sources)
        self.counts["source"] = len(self.sources)

    def city(self):
        return self.rng.choices(self.cities, [city["weight"] for city in self.cities])[0]

    def topic(self):
        return self.rng.choices(list(TOPICS), [t["weight"] for t in TOPICS.values()])[0]

    def record_relations(self, model, objects, topics, cities):
        """Areas served, languages, categories and sources of records, as through rows."""
        relations = {"areas_served": [], "languages": [], "categories": [], "sources": []}
        owner = f"{model._meta.model_name}_id"
        for obj, topic, city in zip(objects, topics, cities, strict=True):
            roll = self.rng.random()
            areas = ([city["region"]] if roll < 0.8 else [city["metro"]["region"]]
                     if roll < 0.95 else [city["metro"]["state"]])
            if self.rng.random() < 0.1:
                areas.append(self.rng.choice(city["metro"]["cities"])["region"])
            for region in {area.pk: area for area in areas}.values():
                relations["areas_served"].append({owner: obj.pk, "region_id": region.pk})
            roll = self.rng.random()
            codes = ["en", "es"] if roll < 0.85 else ["en"] if roll < 0.95 else ["es"]
            if self.rng.random() < 0.2:
                codes += self.rng.sample([code for code, *_ in LANGUAGES],
                                         self.rng.randint(1, 2))
            for code in codes:
                relations["languages"].append(
                    {owner: obj.pk, "language_id": self.languages[code].pk})
            slugs = {TOPICS[topic]["category"]}
            if self.rng.random() < 0.25:
                slugs.add(TOPICS[self.topic()]["category"])
            for slug in slugs:
                relations["categories"].append(
                    {owner: obj.pk, "category_id": self.categories[slug].pk})
            if self.rng.random() < 0.4:
                relations["sources"].append(
                    {owner: obj.pk, "source_id": self.rng.choice(self.sources).pk})
        for name, rows in relations.items():
            through = getattr(model, name).through
            insert(through, [Row(through, **row) for row in rows])

    def hours(self, model, owner_field, owner_ids, pattern_weights):
        """Opening hours rows in one of a few realistic patterns, or none."""
        t = datetime.time
        patterns = {
            "24h": [(day, None, None, True, False) for day in range(7)],
            "weekdays": [(day, t(9), t(17), False, False) for day in range(5)]
            + [(5, None, None, False, True), (6, None, None, False, True)],
            "saturday": [(day, t(8, 30), t(18), False, False) for day in range(5)]
            + [(5, t(10), t(14), False, False), (6, None, None, False, True)],
            "evening": [(day, t(17), t(21), False, False) for day in range(4)]
            + [(4, t(18), t(1), False, False), (5, None, None, False, True),
               (6, None, None, False, True)],
            "night": [(day, t(20), t(4), False, False) for day in range(7)],
        }
        rows = []
        for owner_id in owner_ids:
            pattern = self.weighted(pattern_weights)
            for weekday, opens, closes, always, closed in patterns.get(pattern, []):
                rows.append(Row(model, **{f"{owner_field}_id": owner_id}, weekday=weekday,
                                  opens=opens, closes=closes, is_24_hours=always,
                                  is_closed=closed))
        insert(model, rows)
        self.counts[model._meta.model_name] = self.counts.get(model._meta.model_name, 0) + len(
            rows)

    # The records.

    def organizations(self, count):
        from directory.models import Location, LocationHours, Organization

        orgs, topics, cities, locations = [], [], [], []
        self.helpers_by_metro = {id(metro): [] for metro in self.metros}
        self.helpers, self.public_offices, self.enforcement, self.operators = [], [], [], []
        for _index in range(count):
            kind = self.weighted(ORG_KINDS)
            city = self.city()
            topic = self.topic()
            english_only = self.rng.random() < 0.2
            if kind in ("police", "school_district", "government_agency"):
                en, es = {
                    "police": (f"{city['en']} Police Department",
                               f"Departamento de Policía de {city['es']}"),
                    "school_district": (f"{city['en']} Public Schools",
                                        f"Escuelas Públicas de {city['es']}"),
                    "government_agency": (f"{city['en']} Office of Immigrant Affairs",
                                          f"Oficina de Asuntos de Inmigrantes de {city['es']}"),
                }[kind]
            elif kind == "enforcement_agency":
                en, es = (f"ICE Field Office, {city['en']}",
                          f"Oficina local de ICE, {city['es']}")
            elif kind == "detention_operator":
                en, es = (f"{city['metro']['region'].name_en.split(' metro')[0]} Detention "
                          f"Services", f"Servicios de Detención de {city['es']}")
            elif kind == "consulate":
                country = self.rng.choice([("Mexico", "México"), ("Guatemala", "Guatemala"),
                                           ("El Salvador", "El Salvador"),
                                           ("Honduras", "Honduras")])
                en, es = (f"Consulate of {country[0]} in {city['en']}",
                          f"Consulado de {country[1]} en {city['es']}")
                topic = "documents"
            else:
                base_en, base_es = self.rng.choice(TOPICS[topic]["orgs"])
                en, es = f"{city['en']} {base_en}", f"{base_es} de {city['es']}"
            summary_en, summary_es = self.rng.choice(TOPICS[topic]["sentences"])
            description_en, description_es = self.sentences(topic, self.rng.randint(2, 4))
            name_es = "" if english_only else es
            org = Row(Organization,
                id=self.uuid(), slug=self.slug(en), kind=kind, name=en, name_en=en,
                name_es=name_es or None,
                summary=summary_en, summary_en=summary_en,
                summary_es=self.text(summary_en, summary_es, english_only)[1],
                description=description_en, description_en=description_en,
                description_es=self.text(description_en, description_es, english_only)[1],
                website=f"https://example.org/{self.slug_counter}",
                phone=self.phone(city["metro"]["area"]) if self.rng.random() < 0.7 else "",
                email=f"info{self.slug_counter}@example.org" if self.rng.random() < 0.5 else "",
                last_verified_on=self.verified_on(), is_published=self.rng.random() < 0.96)
            orgs.append(org)
            topics.append(topic)
            cities.append(city)
            if kind == "enforcement_agency":
                self.enforcement.append(org)
            elif kind == "detention_operator":
                self.operators.append(org)
            elif kind in ("police", "school_district", "government_agency"):
                self.public_offices.append((org, city))
            else:
                self.helpers.append((org, city, topic))
                self.helpers_by_metro[id(city["metro"])].append((org, city, topic))
            for _place in range(self.weighted([(0, 25), (1, 60), (2, 15)])):
                locations.append(self.location(city, org))
        insert(Organization, orgs)
        self.record_relations(Organization, orgs, topics, cities)
        insert(Location, locations)
        self.locations_by_org = {}
        for location in locations:
            self.locations_by_org.setdefault(location.organization_id, []).append(location)
        self.hours(LocationHours, "location", [location.pk for location in locations],
                   [("none", 45), ("weekdays", 35), ("saturday", 12), ("evening", 5),
                    ("24h", 3)])
        self.counts["organization"] = len(orgs)
        self.counts["location"] = len(locations)

    def location(self, city, organization=None, name=None):
        from directory.models import Location

        metro = city["metro"]
        en, es = name or self.rng.choice([("Main office", "Oficina principal"),
                                          *PLACES, ("Satellite office", "Oficina satélite")])
        return Row(Location,
            name=en, name_en=en, name_es=es, organization=organization,
            street_address=f"{self.rng.randint(100, 9999)} {self.rng.choice(STREETS)}",
            city=city["en"], state=metro["code"],
            postal_code=f"{metro['zip']}{self.rng.randint(0, 999):03d}", region=city["region"],
            latitude=round(metro["lat"] + self.rng.uniform(-0.2, 0.2), 6),
            longitude=round(metro["lon"] + self.rng.uniform(-0.2, 0.2), 6),
            is_confidential=self.rng.random() < 0.08)

    def helper(self, topic=None):
        """A helping organization, preferably of this topic, and its city."""
        for _attempt in range(4):
            org, city, org_topic = self.rng.choice(self.helpers)
            if topic is None or org_topic == topic:
                break
        return org, city

    def services(self, count):
        from directory.models import Service, ServiceHours

        services, topics, cities = [], [], []
        for _index in range(count):
            topic = self.topic()
            org, city = self.helper(topic)
            english_only = self.rng.random() < 0.2
            en, es = self.rng.choice(TOPICS[topic]["services"])
            if self.rng.random() < 0.5:
                en, es = f"{en} in {city['en']}", f"{es} en {city['es']}"
            summary_en, summary_es = self.rng.choice(TOPICS[topic]["sentences"])
            description_en, description_es = self.sentences(topic, self.rng.randint(2, 4))
            legal = topic in ("legal", "bond")
            places = self.locations_by_org.get(org.pk) or [None]
            services.append(Row(Service,
                id=self.uuid(), slug=self.slug(en), organization=org, name=en, name_en=en,
                name_es=self.text(en, es, english_only)[1] or None,
                summary=summary_en, summary_en=summary_en,
                summary_es=self.text(summary_en, summary_es, english_only)[1],
                description=description_en, description_en=description_en,
                description_es=self.text(description_en, description_es, english_only)[1],
                eligibility_en="Anyone who lives in the area.",
                eligibility_es="" if english_only else "Cualquier persona que viva en la zona.",
                how_to_get_it_en="Call or walk in.",
                how_to_get_it_es="" if english_only else "Llame o venga sin cita.",
                cost=self.weighted([("free", 55), ("sliding_scale", 20), ("paid", 10),
                                    ("", 15)]),
                legal_help_by=self.weighted([("attorney", 50), ("accredited_representative", 25),
                                             ("not_representation", 10), ("", 15)])
                if legal else "",
                location=self.rng.choice(places),
                phone=self.phone(city["metro"]["area"]) if self.rng.random() < 0.5 else "",
                last_verified_on=self.verified_on(), is_published=self.rng.random() < 0.96))
            topics.append(topic)
            cities.append(city)
        insert(Service, services)
        self.record_relations(Service, services, topics, cities)
        self.hours(ServiceHours, "service", [service.pk for service in services],
                   [("none", 30), ("weekdays", 40), ("saturday", 15), ("evening", 10),
                    ("24h", 3), ("night", 2)])
        self.counts["service"] = len(services)

    def hotlines(self, count):
        from directory.models import Hotline, HotlineHours, HotlineMenuOption

        hotlines, topics, cities, options = [], [], [], []
        for _index in range(count):
            purpose_en, purpose_es, topic = self.rng.choice(HOTLINE_PURPOSES)
            org, city = self.helper(topic)
            english_only = self.rng.random() < 0.15
            kind_en, kind_es = self.rng.choice([("Hotline", "Línea de ayuda"),
                                                ("Helpline", "Línea de apoyo"),
                                                ("Phone line", "Línea telefónica")])
            en = f"{org.name_en} {kind_en}"
            es = f"{kind_es} de {org.name_es or org.name_en}"
            summary_en, summary_es = self.rng.choice(TOPICS[topic]["sentences"])
            description_en, description_es = self.sentences(topic, self.rng.randint(1, 3))
            hotline = Row(Hotline,
                id=self.uuid(), slug=self.slug(en), organization=org, name=en, name_en=en,
                name_es=self.text(en, es, english_only)[1] or None,
                summary=summary_en, summary_en=summary_en,
                summary_es=self.text(summary_en, summary_es, english_only)[1],
                description=description_en, description_en=description_en,
                description_es=self.text(description_en, description_es, english_only)[1],
                purpose=purpose_en, purpose_en=purpose_en,
                purpose_es=self.text(purpose_en, purpose_es, english_only)[1],
                phone=self.phone("800" if self.rng.random() < 0.3 else city["metro"]["area"]),
                sms_number=str(self.rng.randint(20000, 99999)) if self.rng.random() < 0.1
                else "",
                last_verified_on=self.verified_on(), is_published=self.rng.random() < 0.97)
            hotlines.append(hotline)
            topics.append(topic)
            cities.append(city)
            for position in range(self.weighted([(0, 40), (1, 20), (2, 25), (3, 15)])):
                option_en, option_es = self.rng.choice(MENU_OPTIONS)
                options.append(Row(HotlineMenuOption,
                    hotline=hotline, digits=str(position + 1), purpose=option_en,
                    purpose_en=option_en, purpose_es=option_es, position=position,
                    last_checked_on=self.verified_on()))
        insert(Hotline, hotlines)
        self.record_relations(Hotline, hotlines, topics, cities)
        insert(HotlineMenuOption, options)
        self.hours(HotlineHours, "hotline", [hotline.pk for hotline in hotlines],
                   [("24h", 40), ("weekdays", 30), ("saturday", 10), ("evening", 5),
                    ("night", 5), ("none", 10)])
        self.counts["hotline"] = len(hotlines)
        self.counts["hotlinemenuoption"] = len(options)

    def legal_funds(self, count):
        from directory.models import LegalFund

        funds, topics, cities = [], [], []
        for _index in range(count):
            kind = self.weighted([("bond", 50), ("legal_defense", 50)])
            topic = "bond" if kind == "bond" else "legal"
            org, city = self.helper(topic)
            english_only = self.rng.random() < 0.2
            if kind == "bond":
                en, es = f"{city['en']} Bond Fund", f"Fondo de Fianzas de {city['es']}"
                pays_en, pays_es = ("Immigration bonds.", "Fianzas de inmigración.")
            else:
                en, es = (f"{city['en']} Legal Defense Fund",
                          f"Fondo de Defensa Legal de {city['es']}")
                pays_en, pays_es = ("Lawyers for people in deportation proceedings.",
                                    "Abogados para personas en proceso de deportación.")
            summary_en, summary_es = self.rng.choice(TOPICS[topic]["sentences"])
            description_en, description_es = self.sentences(topic, self.rng.randint(2, 3))
            funds.append(Row(LegalFund,
                id=self.uuid(), slug=self.slug(en), kind=kind, organization=org, name=en,
                name_en=en, name_es=self.text(en, es, english_only)[1] or None,
                summary=summary_en, summary_en=summary_en,
                summary_es=self.text(summary_en, summary_es, english_only)[1],
                description=description_en, description_en=description_en,
                description_es=self.text(description_en, description_es, english_only)[1],
                pays_for_en=pays_en, pays_for_es=self.text(pays_en, pays_es, english_only)[1],
                donate_url=f"https://example.org/donate/{self.slug_counter}",
                last_verified_on=self.verified_on(), is_published=self.rng.random() < 0.96))
            topics.append(topic)
            cities.append(city)
        insert(LegalFund, funds)
        self.record_relations(LegalFund, funds, topics, cities)
        self.counts["legalfund"] = len(funds)

    def detention_facilities(self, count):
        from directory.models import DetentionFacility, Location, Organization

        operators = self.operators or list(Organization.objects.filter(
            kind=Organization.Kind.DETENTION_OPERATOR))
        authorities = self.enforcement or list(Organization.objects.filter(
            kind=Organization.Kind.ENFORCEMENT_AGENCY))
        facilities, topics, cities, locations = [], [], [], []
        for _index in range(count):
            city = self.city()
            kind, en, es = self.rng.choice([
                ("contract", f"{city['en']} Contract Detention Facility",
                 f"Centro de Detención por Contrato de {city['es']}"),
                ("government", f"{city['en']} Service Processing Center",
                 f"Centro de Procesamiento de {city['es']}"),
                ("jail", f"{city['en']} County Jail", f"Cárcel del Condado de {city['es']}"),
            ])
            location = self.location(city, name=(en, es))
            locations.append(location)
            summary_en, summary_es = self.rng.choice(TOPICS["detention"]["sentences"])
            description_en, description_es = self.sentences("detention", 3)
            facilities.append(Row(DetentionFacility,
                id=self.uuid(), slug=self.slug(en), official_name=en,
                other_names=f"{city['en']} ICE Processing Center" if self.rng.random() < 0.3
                else "",
                operator=self.rng.choice(operators), authority=self.rng.choice(authorities),
                kind=kind, location=location, name=en, name_en=en, name_es=es,
                summary=summary_en, summary_en=summary_en, summary_es=summary_es,
                description=description_en, description_en=description_en,
                description_es=description_es,
                visiting_rules_en="Visits by appointment; bring a photo ID.",
                visiting_rules_es="Visitas con cita; traiga una identificación con foto.",
                how_to_find_someone_en="Use ICE's online detainee locator.",
                how_to_find_someone_es="Use el localizador de detenidos de ICE.",
                locator_url="https://locator.ice.gov/odls/",
                phone=self.phone(city["metro"]["area"]),
                last_verified_on=self.verified_on(), is_published=True))
            topics.append("detention")
            cities.append(city)
        insert(Location, locations)
        insert(DetentionFacility, facilities)
        self.record_relations(DetentionFacility, facilities, topics, cities)
        self.counts["detentionfacility"] = len(facilities)
        self.counts["location"] += len(locations)

    def policies(self, count):
        from directory.models import Policy

        policies, topics, cities = [], [], []
        offices = self.public_offices
        for _index in range(count):
            org, city = self.rng.choice(offices)
            what_en, what_es, quote_en, quote_es = self.rng.choice(POLICY_STATEMENTS)
            en = f"{org.name_en} {what_en}"
            es = f"{org.name_es or org.name_en} {what_es}"
            stated = self.today - datetime.timedelta(days=self.rng.randint(30, 2500))
            spanish_quote = self.rng.random() < 0.2
            policies.append(Row(Policy,
                id=self.uuid(), slug=self.slug(en), organization=org, stated_on=stated,
                name=en, name_en=en, name_es=es,
                summary=quote_en, summary_en=quote_en, summary_es=quote_es,
                spoken_by_en="The chief's office", spoken_by_es="La oficina del jefe",
                quote=quote_es if spanish_quote else quote_en,
                quote_en=quote_es if spanish_quote else quote_en,
                quote_es=quote_es, quote_language="es" if spanish_quote else "en",
                is_in_force=self.rng.choice([True, None, None, False]),
                last_verified_on=self.verified_on(), is_published=self.rng.random() < 0.96))
            topics.append(self.rng.choice(["rights", "rapid", "education"]))
            cities.append(city)
        insert(Policy, policies)
        self.record_relations(Policy, policies, topics, cities)
        self.counts["policy"] = len(policies)

    def notices(self, count):
        from alerts.models import Notice
        from alerts.templatetags.alerts import HOME_SIZE

        notices, region_rows = [], []
        hour = datetime.timedelta(hours=1)
        confirmers = [org for org, _city, _topic in self.helpers[:200]]
        states = [("expired", 50), ("current", 18), ("scheduled", 10), ("draft", 12),
                  ("withdrawn", 10)]
        chosen = [self.weighted(states) for _index in range(count)]
        # Enough in effect now to fill the home page's notices, whatever the size.
        chosen += ["current"] * max(0, HOME_SIZE - chosen.count("current"))
        for state in chosen:
            severity, certainty, title_en, title_es, summary_en, summary_es = self.rng.choice(
                NOTICE_KINDS)
            city = self.city()
            place_en, place_es = self.rng.choice(PLACES)
            words = {"city": city["en"], "city_es": city["es"],
                     "place": f"the {city['en']} {place_en}",
                     "place_es": f"el {place_es} de {city['es']}"}
            lifetime = {"urgent": 24, "advisory": 24 * 7, "information": 24 * 30}[severity] * hour
            if state == "expired":
                publish_at = self.now - lifetime - hour * self.rng.randint(1, 24 * 700)
            elif state == "current":
                publish_at = self.now - hour * self.rng.randint(1, int(lifetime / hour) - 1)
            elif state == "scheduled":
                publish_at = self.now + hour * self.rng.randint(1, 24 * 14)
            else:
                publish_at = self.now - hour * self.rng.randint(1, 24 * 60)
            status = {"draft": "draft", "withdrawn": "withdrawn"}.get(state, "published")
            confirmed = certainty == "confirmed"
            english_only = self.rng.random() < 0.1
            body_en, body_es = self.sentences(self.rng.choice(["rapid", "rights", "legal"]), 2)
            notice = Row(Notice,
                id=self.uuid(), title=title_en.format(**words),
                title_en=title_en.format(**words),
                title_es=None if english_only else title_es.format(**words),
                summary=summary_en.format(**words), summary_en=summary_en.format(**words),
                summary_es=None if english_only else summary_es.format(**words),
                body=body_en, body_en=body_en, body_es=None if english_only else body_es,
                severity=severity, certainty=certainty, status=status,
                place=words["place"] if confirmed and severity != "urgent" else "",
                place_en=words["place"] if confirmed and severity != "urgent" else "",
                place_es=words["place_es"] if confirmed and severity != "urgent" else "",
                publish_at=None if status == "draft" else publish_at,
                expires_at=None if status == "draft" else publish_at + lifetime,
                updated_for_visitors_at=None if status == "draft" else publish_at,
                confirmed_by=self.rng.choice(confirmers) if confirmed and confirmers else None,
                confirmed_at=publish_at if confirmed else None,
                withdrawn_at=publish_at + hour if status == "withdrawn" else None)
            notices.append(notice)
            region_rows.append(Row(Notice.regions.through, notice_id=notice.pk,
                                                      region_id=city["region"].pk))
        insert(Notice, notices)
        insert(Notice.regions.through, region_rows)
        self.counts["notice"] = len(notices)
        self.counts["notice (public now)"] = sum(
            1 for n in notices if n.status == "published" and n.publish_at <= self.now
            < n.expires_at)

    def run(self):
        from django.db import transaction

        plan = self.plan()
        with transaction.atomic():
            self.vocabularies()
            # Organizations beyond the plan are the offices policies and facilities need.
            self.organizations(plan["organization"])
            self.ensure_offices()
            self.services(plan["service"])
            self.hotlines(plan["hotline"])
            self.legal_funds(plan["legalfund"])
            self.detention_facilities(plan["detentionfacility"])
            self.policies(plan["policy"])
            self.notices(plan["notice"])
            reset_sequences()
        return plan

    def ensure_offices(self):
        """At least one police office, helper, ICE office and operator, at any size."""
        from directory.models import Organization

        for kind, bucket in (("police", "offices"), ("nonprofit", "helpers"),
                             ("enforcement_agency", "enforcement"),
                             ("detention_operator", "operators")):
            rows = {"offices": self.public_offices, "helpers": self.helpers,
                    "enforcement": self.enforcement, "operators": self.operators}[bucket]
            if rows:
                continue
            city = self.cities[0]
            org = Organization.objects.create(
                id=self.uuid(), slug=self.slug(f"bench {kind}"), kind=kind,
                name=f"{city['en']} {kind.replace('_', ' ')}",
                name_en=f"{city['en']} {kind.replace('_', ' ')}")
            if bucket == "offices":
                rows.append((org, city))
            elif bucket == "helpers":
                rows.append((org, city, "legal"))
                self.helpers_by_metro[id(city["metro"])].append((org, city, "legal"))
            else:
                rows.append(org)
            self.counts["organization (added)"] = self.counts.get(
                "organization (added)", 0) + 1


# --- Counting, the marker, the run ------------------------------------------------------

def marker_notes(records):
    return f"records={records} seed={SEED} version={VERSION}"


def table_counts():
    from alerts.models import Notice
    from directory.models import (
        Category,
        DetentionFacility,
        Hotline,
        HotlineHours,
        HotlineMenuOption,
        Language,
        LegalFund,
        Location,
        LocationHours,
        Organization,
        Policy,
        Region,
        SearchEntry,
        Service,
        ServiceHours,
        Source,
    )

    models = [Organization, Location, Service, Hotline, HotlineMenuOption, LegalFund,
              DetentionFacility, Policy, Notice, LocationHours, ServiceHours, HotlineHours,
              Region, Language, Category, Source, SearchEntry]
    return {model._meta.model_name: model.objects.count() for model in models}


def print_counts(counts):
    width = max(len(str(name)) for name in counts)
    for name, count in counts.items():
        print(f"  {str(name):<{width}}  {count:>9,}")


def holds_data():
    from directory.models import Organization

    return Organization.objects.exists()


def refresh_statistics(connection):
    """What the query planners know of the tables, as a long-running site's would be."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM too: index-only scans of freshly written tables would still visit the
            # heap until the visibility map is set, which autovacuum would do only later.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    url = configure(args.records)
    started = time.monotonic()
    if url.startswith(("postgres", "postgresql", "pgsql")):
        ensure_postgres_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import OperationalError, ProgrammingError

    from directory.models import Source

    def marker():
        try:
            return Source.objects.filter(title=MARKER_TITLE).values_list("notes", flat=True).first()
        except (OperationalError, ProgrammingError):
            return None  # not migrated yet

    found = marker()
    if found == marker_notes(args.records) and not args.force:
        # Kept data still gets the migrations (e.g. indexes) added since it was made, and
        # statistics for them: SQLite plans a new index without any as if it were ideal.
        call_command("migrate", interactive=False, verbosity=0)
        refresh_statistics(connection)
        print(f"Generated data for {args.records:,} records is already in "
              f"{display_url(url)} ({found}); --force generates it again.")
        print_counts(table_counts())
        print(f"Database: {display_url(url)}")
        return 0
    if args.force or found is not None:
        print(f"Emptying {display_url(url)} first.")
        empty_database(url)
        connection.close()
    elif connection.vendor != "sqlite" or Path(connection.settings_dict["NAME"]).exists():
        try:
            other = holds_data()
        except (OperationalError, ProgrammingError):
            other = False
        if other:
            print(f"{display_url(url)} already holds records that this generator did not "
                  f"write; use --force to empty it and generate.", file=sys.stderr)
            return 1

    print(f"Migrating {display_url(url)} …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.monotonic()
    call_command("load_sample_data", verbosity=0)

    print(f"Generating {args.records:,} records (seed {SEED}) …", flush=True)
    generator = Generator(args.records)
    generator.run()
    generated = time.monotonic()
    print(f"  written in {generated - migrated:.1f} s", flush=True)

    from directory.search import rebuild_index

    entries = rebuild_index()
    indexed = time.monotonic()
    print(f"  search index rebuilt: {entries:,} entries in {indexed - generated:.1f} s")
    refresh_statistics(connection)
    Source.objects.create(title=MARKER_TITLE, publisher="bench.generate",
                          notes=marker_notes(args.records))
    print("Generated:")
    print_counts(generator.counts)
    print("In the database:")
    print_counts(table_counts())
    print(f"Elapsed: {time.monotonic() - started:.1f} s (migrate {migrated - started:.1f} s, "
          f"generate {generated - migrated:.1f} s, index {indexed - generated:.1f} s)")
    print(f"Database: {display_url(url)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
