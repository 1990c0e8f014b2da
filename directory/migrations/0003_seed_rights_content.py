"""Seed the know-your-rights text: one section per topic, written in our own words.

Plain language (about a 5th-grade level), one step per line. The Spanish is written
for Spanish readers, not translated word for word. The page itself adds the phone
numbers, the detention facility, the locator link, the legal fund, the list of free
legal help and the "not legal advice" line, so none of that is written here.

A section that already exists is never touched: staff may have edited it.
"""

from django.db import migrations

SECTIONS = [
    {
        "topic": "door",
        "position": 10,
        "title_en": "Agents are at my door",
        "title_es": "Hay agentes en mi puerta",
        "steps_en": [
            "Do not open the door. Ask them to slide the warrant under the door or hold it up "
            "to a window.",
            "Only a warrant signed by a judge, with your name and address on it, lets them "
            "come in.",
            "ICE forms I-200 and I-205 are signed by ICE officers, not judges. They do not let "
            "agents into your home.",
            "Opening the door can be taken as saying yes. Through the door, say: "
            "\"I do not consent to your entry.\"",
            "If they come in anyway, stay calm and do not fight. Stay silent and remember what "
            "you see.",
        ],
        "steps_es": [
            "No abra la puerta. Pídales que pasen la orden por debajo de la puerta o que la "
            "muestren por una ventana.",
            "Solo pueden entrar con una orden firmada por un juez que lleve su nombre y su "
            "dirección.",
            "Los formularios I-200 e I-205 los firma un oficial de ICE, no un juez. Con esos "
            "papeles no pueden entrar a su casa.",
            "Si abre la puerta, pueden tomarlo como un permiso. Sin abrir, diga: "
            "\"I do not consent to your entry\" (no doy permiso para entrar).",
            "Si entran de todos modos, mantenga la calma y no pelee. Guarde silencio y fíjese "
            "bien en lo que pasa.",
        ],
    },
    {
        "topic": "work",
        "position": 20,
        "title_en": "Agents are at my work",
        "title_es": "Hay agentes en mi trabajo",
        "steps_en": [
            "Stay calm and do not run.",
            "To go into areas that are not open to the public, agents need a warrant signed by "
            "a judge or your employer's permission.",
            "You may stay silent. You do not have to say where you were born or talk about your "
            "papers.",
            "Ask: \"Am I free to leave?\" If they say yes, leave calmly.",
            "Do not sign anything you do not understand. Ask to speak with a lawyer.",
        ],
        "steps_es": [
            "Mantenga la calma y no corra.",
            "Para entrar a las áreas que no están abiertas al público, los agentes necesitan "
            "una orden firmada por un juez o el permiso de su empleador.",
            "Usted tiene derecho a guardar silencio. No tiene que decir dónde nació ni hablar "
            "de sus papeles.",
            "Pregunte: \"Am I free to leave?\" (¿me puedo ir?). Si le dicen que sí, váyase con "
            "calma.",
            "No firme nada que no entienda. Pida hablar con un abogado.",
        ],
    },
    {
        "topic": "street",
        "position": 30,
        "title_en": "I am in a car or on the street",
        "title_es": "Estoy en un carro o en la calle",
        "steps_en": [
            "Stay calm. Keep your hands where the officers can see them. Do not run or argue.",
            "If you are the driver, show your driver's license, registration and proof of "
            "insurance when they ask.",
            "If you are a passenger, you may stay silent.",
            "You may say: \"I do not consent to a search.\" Say it in a calm voice.",
            "Ask: \"Am I free to leave?\" If they say yes, leave calmly.",
        ],
        "steps_es": [
            "Mantenga la calma. Deje las manos donde los agentes las puedan ver. No corra ni "
            "discuta.",
            "Si usted maneja, muestre su licencia de manejo, el registro del carro y la prueba "
            "de seguro cuando se lo pidan.",
            "Si usted va de pasajero, tiene derecho a guardar silencio.",
            "Puede decir: \"I do not consent to a search\" (no doy permiso para que me "
            "revisen). Dígalo con calma.",
            "Pregunte: \"Am I free to leave?\" (¿me puedo ir?). Si le dicen que sí, váyase con "
            "calma.",
        ],
    },
    {
        "topic": "detained",
        "position": 40,
        "title_en": "Someone was detained",
        "title_es": "Detuvieron a alguien",
        "steps_en": [
            "Write down what happened: the date, the time, the place, and what the agents said "
            "and did.",
            "Find the person with ICE's Online Detainee Locator. You need their A-number and "
            "country of birth.",
            "No A-number? Search with their exact full name and their country of birth.",
            "Call the hotline and free legal help as soon as you can.",
            "Ask about the legal fund. It may be able to help with the costs.",
        ],
        "steps_es": [
            "Apunte lo que pasó: la fecha, la hora, el lugar y lo que dijeron e hicieron los "
            "agentes.",
            "Busque a la persona en el localizador de detenidos de ICE (Online Detainee "
            "Locator) con su número A y su país de nacimiento.",
            "¿No tiene el número A? Busque con su nombre completo, bien escrito, y su país "
            "de nacimiento.",
            "Llame cuanto antes a la línea de ayuda y pida ayuda legal gratis.",
            "Pregunte por el fondo legal. Tal vez le pueda ayudar con los gastos.",
        ],
    },
    {
        "topic": "lawyer",
        "position": 50,
        "title_en": "I need a free lawyer",
        "title_es": "Necesito un abogado gratis",
        "steps_en": [
            "Only a licensed lawyer or a DOJ-accredited representative can give you legal "
            "advice.",
            "Call free legal help first. This page lists places that can help.",
            "Before you pay anyone, ask: \"Are you a licensed lawyer or a DOJ-accredited "
            "representative?\"",
            "Ask for a copy of every paper you sign and every paper they send in for you.",
            "Give your family your lawyer's name, so they can call if you are detained.",
        ],
        "steps_es": [
            "Solo un abogado con licencia o un representante acreditado por el Departamento de "
            "Justicia (DOJ) le puede dar consejos legales.",
            "Primero llame para pedir ayuda legal gratis. En esta página está la lista de "
            "lugares que ayudan.",
            "Antes de pagarle a alguien, pregúntele: \"¿Usted es abogado con licencia o "
            "representante acreditado por el DOJ?\"",
            "Pida una copia de cada papel que firme y de cada papel que entreguen por usted.",
            "Dele a su familia el nombre de su abogado, para que lo llamen si a usted lo "
            "detienen.",
        ],
    },
    {
        "topic": "prepare",
        "position": 60,
        "title_en": "Prepare my family",
        "title_es": "Preparar a mi familia",
        "steps_en": [
            "Make a plan with your family. Choose emergency contacts and learn their numbers "
            "by heart.",
            "Choose a trusted adult to pick up your children if you cannot. Put that person on "
            "the school pickup list.",
            "Write down each person's A-number and where your important papers are kept.",
            "Keep copies of important papers somewhere safe, and tell a trusted person where "
            "they are.",
            "In Colorado, a parent can sign a power of attorney so another adult can care for "
            "a child. Set it up with legal aid.",
        ],
        "steps_es": [
            "Haga un plan con su familia. Elija contactos de emergencia y apréndase sus "
            "números de memoria.",
            "Decida qué adulto de confianza recogerá a sus hijos si usted no puede. Póngalo en "
            "la lista de la escuela.",
            "Anote el número A de cada persona y dónde guarda sus papeles importantes.",
            "Guarde copias de sus papeles importantes en un sitio seguro y dígale a una "
            "persona de confianza dónde están.",
            "En Colorado, el papá o la mamá puede firmar un poder (power of attorney) para que "
            "otro adulto cuide a sus hijos. Hágalo con ayuda legal.",
        ],
    },
    {
        "topic": "general",
        "position": 70,
        "title_en": "Always",
        "title_es": "Siempre",
        "steps_en": [
            "You have the right to stay silent. You can say: \"I want to stay silent.\"",
            "Ask for a lawyer. Say: \"I want to speak with a lawyer.\"",
            "Do not sign anything you do not understand, or without talking to a lawyer.",
            "Never lie, and never show false papers.",
            "Stay calm. Do not run, argue or fight.",
        ],
        "steps_es": [
            "Tiene derecho a guardar silencio. Puede decir: \"I want to stay silent\" "
            "(quiero guardar silencio).",
            "Pida un abogado. Diga: \"I want to speak with a lawyer\" (quiero hablar con un "
            "abogado).",
            "No firme nada que no entienda, ni nada sin hablar antes con un abogado.",
            "Nunca diga mentiras y nunca muestre papeles falsos.",
            "Mantenga la calma. No corra, no discuta y no pelee.",
        ],
    },
    {
        "topic": "notario",
        "position": 80,
        "title_en": "Watch out for notario fraud",
        "title_es": "Cuidado con los notarios",
        "steps_en": [
            "In the US, a notario or \"consultant\" is not a lawyer.",
            "A notario cannot give you legal advice or pick immigration forms for you.",
            "Never pay for a form you do not understand.",
            "Only a licensed lawyer or a DOJ-accredited representative can help with your "
            "immigration case.",
            "Be careful with anyone who promises you papers fast or a sure result.",
        ],
        "steps_es": [
            "En Estados Unidos, un notario o \"consultor\" no es abogado, aunque en otros "
            "países sí lo sea.",
            "Un notario no le puede dar consejos legales ni escoger formularios de inmigración "
            "por usted.",
            "Nunca pague por un formulario que no entiende.",
            "Solo un abogado con licencia o un representante acreditado por el DOJ le puede "
            "ayudar con su caso de inmigración.",
            "Desconfíe de quien le prometa papeles rápido o un resultado seguro.",
        ],
    },
    {
        "topic": "card",
        "position": 90,
        "title_en": "My rights",
        "title_es": "Mis derechos",
        "steps_en": [
            "Stay calm. Do not run.",
            "You may stay silent and ask for a lawyer.",
            "Do not sign anything you do not understand.",
            "Call the rapid-response hotline.",
        ],
        "steps_es": [
            "Mantenga la calma. No corra.",
            "Puede guardar silencio y pedir un abogado.",
            "No firme nada que no entienda.",
            "Llame a la línea de respuesta rápida.",
        ],
    },
    {
        "topic": "card_agent",
        "position": 100,
        "title_en": "For the officer",
        "title_es": "Para el agente (en inglés)",
        # Always handed over in English, so both languages hold the same text.
        "steps_en": [
            "I am using my right to stay silent. I will not answer your questions.",
            "I do not consent to a search of me, my car or my things.",
            "I do not consent to you entering my home without a warrant signed by a judge.",
            "I want to talk to a lawyer.",
            "I will not sign any papers unless my lawyer has seen them.",
        ],
        "steps_es": None,  # same as steps_en
    },
]


def seed_rights_content(apps, schema_editor):
    RightsSection = apps.get_model("directory", "RightsSection")
    for section in SECTIONS:
        if RightsSection.objects.filter(topic=section["topic"]).exists():
            continue
        steps_en = "\n".join(section["steps_en"])
        steps_es = "\n".join(section["steps_es"] or section["steps_en"])
        RightsSection.objects.create(
            topic=section["topic"],
            position=section["position"],
            title=section["title_en"],
            title_en=section["title_en"],
            title_es=section["title_es"],
            steps=steps_en,
            steps_en=steps_en,
            steps_es=steps_es,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_know_your_rights"),
    ]

    operations = [
        migrations.RunPython(seed_rights_content, migrations.RunPython.noop),
    ]
