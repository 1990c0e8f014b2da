"""The seeded know-your-rights text: complete, short, careful, and safe to seed twice."""

import importlib

import pytest
from django.apps import apps as global_apps

from directory.models import RightsSection

pytestmark = pytest.mark.django_db

Topic = RightsSection.Topic
CARDS = (Topic.CARD, Topic.CARD_AGENT)

POSITIONS = {
    Topic.DOOR: 10, Topic.WORK: 20, Topic.STREET: 30, Topic.DETAINED: 40, Topic.LAWYER: 50,
    Topic.PREPARE: 60, Topic.GENERAL: 70, Topic.NOTARIO: 80, Topic.CARD: 90,
    Topic.CARD_AGENT: 100,
}

REQUIRED_EN = (
    "judge", "I-200", "I-205", "consent", "silent", "lawyer", "registration", "insurance",
    "Am I free to leave", "A-number", "country of birth", "power of attorney", "notario",
)
REQUIRED_ES = ("juez", "I-200", "abogado", "notario")
FORBIDDEN = (
    "safe place", "lugar seguro", "cannot deport", "no pueden deportar", "run away", "huya",
    "hide", "escond", "don't carry", "no lleve", "follow the agents", "siga a los agentes",
    "resist", "resista",
)


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def all_text(language):
    return "\n".join(
        f"{getattr(s, f'title_{language}')}\n{getattr(s, f'steps_{language}')}"
        for s in RightsSection.objects.all())


def seed_function():
    module = importlib.import_module("directory.migrations.0003_seed_rights_content")
    return module.seed_rights_content


def test_every_topic_has_exactly_one_section_in_order():
    sections = list(RightsSection.objects.all())
    assert sorted(s.topic for s in sections) == sorted(Topic.values)
    assert {s.topic: s.position for s in sections} == POSITIONS
    assert [s.topic for s in sections] == sorted(POSITIONS, key=POSITIONS.get)


def test_both_languages_are_filled_and_the_base_fields_hold_english():
    for section in RightsSection.objects.all():
        assert section.title_en and section.title_es, section.topic
        assert section.steps_en and section.steps_es, section.topic
        base = RightsSection.objects.filter(pk=section.pk).values("title", "steps").get()
        assert base == {"title": section.title_en, "steps": section.steps_en}


@pytest.mark.parametrize("topic", RightsSection.SITUATIONS)
def test_each_situation_has_three_to_five_steps_in_both_languages(topic):
    section = RightsSection.objects.get(topic=topic)
    steps_en, steps_es = lines(section.steps_en), lines(section.steps_es)
    assert 3 <= len(steps_en) <= 5
    assert 3 <= len(steps_es) <= 5
    assert len(steps_en) == len(steps_es)
    assert len(section.title_en) <= 60 and len(section.title_es) <= 60


def test_no_step_is_too_long():
    for section in RightsSection.objects.all():
        limit = 90 if section.topic in CARDS else 160
        for text in (section.steps_en, section.steps_es):
            for line in lines(text):
                assert len(line) <= limit, (section.topic, line)


def test_the_visitor_card_is_three_or_four_short_lines():
    card = RightsSection.objects.get(topic=Topic.CARD)
    for text in (card.steps_en, card.steps_es):
        assert 3 <= len(lines(text)) <= 4
        assert all(len(line) <= 80 for line in lines(text))
    assert len(lines(card.steps_en)) == len(lines(card.steps_es))


def test_the_card_for_the_agent_is_the_same_english_text_in_both_languages():
    card = RightsSection.objects.get(topic=Topic.CARD_AGENT)
    assert card.steps_en == card.steps_es
    assert 4 <= len(lines(card.steps_en)) <= 5
    assert card.title_en == "For the officer"
    assert card.title_es == "Para el agente (en inglés)"
    assert "judge" in card.steps_en and "consent" in card.steps_en


@pytest.mark.parametrize("phrase", REQUIRED_EN)
def test_english_covers(phrase):
    assert phrase.lower() in all_text("en").lower()


def test_english_covers_the_drivers_licence():
    text = all_text("en").lower()
    assert "licence" in text or "license" in text


@pytest.mark.parametrize("phrase", REQUIRED_ES)
def test_spanish_covers(phrase):
    assert phrase.lower() in all_text("es").lower()


@pytest.mark.parametrize("phrase", FORBIDDEN)
def test_forbidden_phrase_appears_in_neither_language(phrase):
    assert phrase not in all_text("en").lower()
    assert phrase not in all_text("es").lower()


def test_no_phone_numbers_and_no_legal_advice_disclaimer():
    for language in ("en", "es"):
        text = all_text(language)
        digits_in_a_row = max((len(run) for run in "".join(
            c if c.isdigit() else " " for c in text).split()), default=0)
        assert digits_in_a_row <= 3, language
        assert "not legal advice" not in text.lower()


def test_seeding_again_creates_nothing_and_keeps_staff_edits():
    door = RightsSection.objects.get(topic=Topic.DOOR)
    door.steps_en = "An edit made by staff.\nA second line.\nA third line."
    door.save()
    before = RightsSection.objects.count()

    seed_function()(global_apps, None)

    assert RightsSection.objects.count() == before
    door.refresh_from_db()
    assert door.steps_en == "An edit made by staff.\nA second line.\nA third line."


def test_seeding_again_restores_only_a_missing_topic():
    RightsSection.objects.filter(topic=Topic.NOTARIO).delete()
    seed_function()(global_apps, None)

    notario = RightsSection.objects.get(topic=Topic.NOTARIO)
    assert notario.position == 80
    assert notario.title_en == "Watch out for notario fraud"
    assert notario.title_es == "Cuidado con los notarios"
    assert "notario" in notario.steps_en.lower()
    assert "notario" in notario.steps_es.lower()
    assert RightsSection.objects.count() == len(Topic.values)
