"""Search on whichever database this run uses: the same tests pass on SQLite and PostgreSQL."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts import publishing
from directory import search
from directory.models import (
    HotlineHours,
    LegalFund,
    Organization,
    Region,
    SearchEntry,
    Service,
    ServiceHours,
    Synonym,
)
from tests import factories

# A Wednesday noon in Denver.
NOON = datetime.datetime(2026, 11, 25, 19, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sample_data(db):
    call_command("load_sample_data", verbosity=0)


def urls(text, language="en", **kwargs):
    return [entry.url for entry in search.search(text, language=language, **kwargs).entries]


def titles(text, language="en", **kwargs):
    return [entry.title for entry in search.search(text, language=language, **kwargs).entries]


def test_search_is_accent_and_case_blind_and_stemmed_in_both_languages(sample_data):
    ice_es = "/es/organizations/ice/"
    assert ice_es in urls("inmigracion", "es")
    assert ice_es in urls("INMIGRACIÓN", "es")
    assert ice_es in urls("Inmigración Aduanas", "es")
    assert "/en/legal-funds/denver-immigrant-legal-services-fund/" in urls("Funds")
    assert "/en/legal-funds/denver-immigrant-legal-services-fund/" in urls("FUND")
    assert "/es/services/circ-deportation-proceedings-support/" in urls("DEPORTACION", "es")

    fund = factories.make_legal_fund(name_en="Aurora bond fund", name_es="Fondo de fianza",
                                     kind=LegalFund.Kind.BOND)
    assert urls("fianzas", "es") == [f"/es/legal-funds/{fund.slug}/"]
    assert urls("Bonds") == [f"/en/legal-funds/{fund.slug}/"]


def test_spanish_pages_fall_back_to_english_text(db):
    service = factories.make_service(name_en="Walrus clinic", name_es="")
    [entry] = search.search("walrus", language="es").entries
    assert (entry.title, entry.title_language) == ("Walrus clinic", "en")
    assert entry.url == f"/es/services/{service.slug}/"


def test_words_people_use_find_the_right_records(sample_data):
    facility = "/es/detention-facilities/denver-contract-detention-facility/"
    found = urls("redada Aurora", "es")
    assert facility in found
    assert "/es/organizations/denver-police-department/" not in found  # Denver, not Aurora
    assert "/es/organizations/ice/" in urls("migra", "es")
    assert "/en/organizations/ice/" in urls("la migra")
    free_counsel = "/es/services/denver-fund-free-legal-counsel/"
    assert free_counsel in urls("abogado gratis", "es")

    # The synonyms are read at each search: staff edits apply at once.
    Synonym.objects.filter(language="es", phrase__startswith="abogado").delete()
    assert urls("abogado gratis", "es") == []
    Synonym.objects.create(language="es", phrase="Abogado  GRATIS",
                           alternatives="asesoría legal gratis")
    assert free_counsel in urls("abogado gratis", "es")


def test_names_rank_above_descriptions(db):
    described = factories.make_service(name_en="Family clinic",
                                       description_en="Helps with a bond hearing.")
    named = factories.make_service(name_en="Bond help desk")
    assert urls("bond") == [f"/en/services/{named.slug}/", f"/en/services/{described.slug}/"]


def test_a_name_holding_more_of_the_words_ranks_higher(db):
    one_word = factories.make_service(name_en="Bond help desk",
                                      description_en="Legal advice on bonds.")
    both_words = factories.make_service(name_en="Legal bond clinic")
    assert urls("bond legal") == [f"/en/services/{both_words.slug}/",
                                  f"/en/services/{one_word.slug}/"]


def test_a_match_is_every_word_not_a_partial_score(db):
    factories.make_service(name_en="Food bank")
    legal = factories.make_service(name_en="Legal funds desk")
    assert urls("funds legal") == [f"/en/services/{legal.slug}/"]
    assert urls("legal -funds") == []
    assert urls('"desk legal"') == []
    assert urls('"legal funds"') == [f"/en/services/{legal.slug}/"]
    assert len(urls("food or legal")) == 2


@pytest.fixture
def small_directory(db):
    """Colorado holding Aurora and Denver, and four records that say “help”."""
    colorado = factories.make_region(slug="colorado-test", name_en="Colorado",
                                     kind=Region.Kind.STATE)
    aurora = factories.make_region(slug="aurora-test", name_en="Aurora", parent=colorado)
    denver = factories.make_region(slug="denver-test", name_en="Denver", parent=colorado)
    legal = factories.make_category(slug="legal-test", name_en="Legal")
    other = factories.make_category(slug="other-test", name_en="Other")
    spanish = factories.make_language(code="es-test", name_en="Spanish test")
    free = factories.make_service(name_en="Free help clinic", cost=Service.Cost.FREE)
    free.areas_served.add(aurora)
    free.categories.add(legal)
    free.languages.add(spanish)
    paid = factories.make_service(name_en="Paid help office", cost=Service.Cost.PAID)
    paid.areas_served.add(denver)
    paid.categories.add(legal)
    line = factories.make_hotline(name_en="Help line")
    line.areas_served.add(colorado)
    line.languages.add(spanish)
    for weekday in range(7):
        HotlineHours.objects.create(hotline=line, weekday=weekday, is_24_hours=True)
    group = factories.make_organization(name_en="Help group")
    group.areas_served.add(aurora)
    group.categories.add(other)
    return {"colorado": colorado, "aurora": aurora, "denver": denver, "legal": legal,
            "other": other, "spanish": spanish, "free": free, "paid": paid, "line": line,
            "group": group}


def test_filters_combine_and_each_count_keeps_the_other_filters(small_directory):
    d = small_directory
    result = search.search("help", language="en", now=NOON)
    assert result.total == 4
    assert result.facets["kind"] == {"service": 2, "hotline": 1, "organization": 1}
    assert result.facets["region"] == {d["colorado"].pk: 4, d["aurora"].pk: 2,
                                       d["denver"].pk: 1}
    assert result.facets["category"] == {d["legal"].pk: 2, d["other"].pk: 1}
    assert result.facets["language"] == {d["spanish"].pk: 2}
    assert (result.facets["is_free"], result.facets["is_open"]) == (1, 1)

    # A region includes the regions inside it.
    assert search.search("help", language="en",
                         filters=search.Filters(region=d["colorado"].pk)).total == 4
    in_aurora = search.search("help", language="en", filters=search.Filters(
        region=d["aurora"].pk))
    assert sorted(titles("help", filters=search.Filters(region=d["aurora"].pk))) == [
        "Free help clinic", "Help group"]
    assert in_aurora.facets["kind"] == {"service": 1, "organization": 1}

    both = search.search("help", language="en", now=NOON, filters=search.Filters(
        kind="service", region=d["aurora"].pk))
    assert [entry.title for entry in both.entries] == ["Free help clinic"]
    assert both.facets["kind"] == {"service": 1, "organization": 1}  # kind left out
    assert both.facets["region"] == {d["colorado"].pk: 2, d["aurora"].pk: 1,
                                     d["denver"].pk: 1}  # region left out
    assert (both.facets["is_free"], both.facets["is_open"]) == (1, 0)

    assert titles("help", filters=search.Filters(is_free=True)) == ["Free help clinic"]
    assert titles("help", now=NOON, filters=search.Filters(is_open=True)) == ["Help line"]
    assert titles("help", filters=search.Filters(language=d["spanish"].pk,
                                                 category=d["legal"].pk)) == ["Free help clinic"]
    # Filters alone list everything they allow.
    assert titles("", filters=search.Filters(kind="service")) == [
        "Free help clinic", "Paid help office"]


def test_the_words_a_visitor_types_never_match_the_filter_terms(small_directory):
    d = small_directory
    # What the index holds for the filters is never found as text.
    paid = SearchEntry.objects.get(object_id=d["paid"].pk, language="en")
    line = SearchEntry.objects.get(object_id=d["line"].pk, language="en")
    terms = set(paid.filter_terms.split()) | set(line.filter_terms.split())
    assert {"kservice", f"r{d['denver'].pk}", f"c{d['legal'].pk}", "khotline", "h0"} <= terms
    for term in terms:
        assert search.search(term, language="en").total == 0, term
    # …while the filters themselves still find them.
    assert titles("office", filters=search.Filters(region=d["denver"].pk)) == ["Paid help office"]


def test_open_now_is_exact_to_the_minute_inside_an_hour(db):
    clinic = factories.make_service(name_en="Morning clinic")
    ServiceHours.objects.create(service=clinic, weekday=2, opens=datetime.time(9, 15),
                                closes=datetime.time(12, 30))
    open_now = search.Filters(is_open=True)

    def found_at(hour, minute):
        moment = NOON + datetime.timedelta(hours=hour - 12, minutes=minute)
        result = search.search("clinic", language="en", now=moment, filters=open_now)
        return [entry.title for entry in result.entries], result.facets["is_open"]

    assert found_at(9, 10) == ([], 0)
    assert found_at(9, 15) == (["Morning clinic"], 1)
    assert found_at(12, 29) == (["Morning clinic"], 1)
    assert found_at(12, 30) == ([], 0)
    assert found_at(12, 59) == ([], 0)


def test_search_page_filters_with_plain_get_and_links_to_drop_each_filter(
    client, small_directory
):
    html = client.get("/en/search/", {"q": "help", "kind": "service", "region": "aurora-test",
                                      "free": "1"}).content.decode()
    assert "1 result" in html
    assert f"/en/services/{small_directory['free'].slug}/" in html
    assert '<option value="aurora-test" selected>Aurora (1)</option>' in html
    assert '<option value="service" selected>Services (1)</option>' in html
    assert "Organizations that help" not in html  # none is free of charge
    assert '<option value="colorado-test">Colorado (1)</option>' in html
    assert 'name="free" value="1" checked' in html
    assert '<button type="submit">Show results</button>' in html
    assert 'href="?q=help&amp;region=aurora-test&amp;free=1"' in html  # kind dropped
    assert 'href="?q=help&amp;kind=service&amp;free=1"' in html  # region dropped
    assert 'href="?q=help&amp;kind=service&amp;region=aurora-test"' in html  # free dropped


def test_an_empty_result_gives_the_hotline_and_ways_to_widen_it(client, small_directory):
    factories.make_hotline(name_en="Rapid response", is_featured=True, phone="+18448648341")
    html = client.get("/en/search/", {"q": "help", "region": "denver-test",
                                      "kind": "hotline"}).content.decode()
    assert "Nothing matched “help”" in html
    assert "tel:+18448648341" in html
    assert 'href="?q=help&amp;kind=hotline"' in html
    assert 'href="?q=help&amp;region=denver-test"' in html


def test_a_malformed_filter_is_left_out_with_a_message_never_a_500(client, small_directory):
    response = client.get("/en/search/", {"q": "help", "kind": "spaceship", "region": "mars",
                                          "category": "no such", "language": "x y",
                                          "page": "two"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "4 results" in html
    for value in ("spaceship", "mars", "no such", "x y"):
        assert f"We left out the filter “{value}”" in html
    assert client.get("/en/search/", {"q": "help", "page": "-3"}).status_code == 200
    response = client.get("/en/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "too long" in response.content.decode()


def test_results_come_twenty_a_page_and_a_page_past_the_end_gives_the_last(client, db):
    for n in range(25):
        factories.make_service(name_en=f"Otter clinic {n:02}")
    first = client.get("/en/search/", {"q": "otter"}).content.decode()
    assert "25 results" in first
    assert len(re.findall(r'href="/en/services/service-', first)) == 20
    assert 'href="?q=otter&amp;page=2" rel="next"' in first
    second = client.get("/en/search/", {"q": "otter", "page": "2"}).content.decode()
    assert len(re.findall(r'href="/en/services/service-', second)) == 5
    assert "Page 2 of 2" in second
    past = client.get("/en/search/", {"q": "otter", "page": "9"})
    assert past.status_code == 200
    assert "Page 2 of 2" in past.content.decode()


def test_notices_are_found_only_while_public(db):
    publisher = factories.make_publisher()
    notice = factories.make_public_notice(publisher=publisher, title_en="Checkpoint on Colfax",
                                          title_es="Retén en Colfax")
    assert urls("checkpoint") == [f"/en/notices/{notice.pk}/"]
    assert urls("reten colfax", "es") == [f"/es/notices/{notice.pk}/"]
    assert urls("checkpoint", now=notice.expires_at) == []  # expired: no job needed

    later = timezone.now() + datetime.timedelta(days=2)
    scheduled = factories.make_notice(title_en="Vigil at the capitol", publish_at=later)
    publishing.publish(scheduled, user=publisher)
    assert urls("vigil") == []
    assert urls("vigil", now=later) == [f"/en/notices/{scheduled.pk}/"]

    publishing.withdraw(notice, user=publisher)
    assert urls("checkpoint") == []
    assert not SearchEntry.objects.filter(object_id=notice.pk).exists()


def test_unpublished_records_are_never_found(db):
    service = factories.make_service(name_en="Heron clinic", is_published=False)
    assert urls("heron") == []
    service.is_published = True
    service.save()
    assert urls("heron") == [f"/en/services/{service.slug}/"]
    service.is_published = False
    service.save()
    assert urls("heron") == []


def test_the_index_follows_every_write(db):
    region = factories.make_region(slug="pueblo", name_en="Pueblo")
    service = factories.make_service(name_en="Zebra clinic")
    assert urls("zebra") == [f"/en/services/{service.slug}/"]

    service.name_en = "Yak clinic"
    service.save()
    assert (urls("zebra"), titles("yak")) == ([], ["Yak clinic"])

    in_pueblo = search.Filters(region=region.pk)
    service.areas_served.add(region)
    assert titles("yak", filters=in_pueblo) == ["Yak clinic"]
    assert titles("pueblo") == ["Yak clinic"]  # the region's name is searchable text
    service.areas_served.remove(region)
    assert titles("yak", filters=in_pueblo) == []
    region.service_set.add(service)  # the other side of the relation
    assert titles("yak", filters=in_pueblo) == ["Yak clinic"]
    region.service_set.clear()
    assert titles("yak", filters=in_pueblo) == []

    category = factories.make_category(name_en="Vaccines")
    service.categories.add(category)
    category.name_en = "Immunizations"
    category.save()
    assert (titles("vaccines"), titles("immunizations")) == ([], ["Yak clinic"])

    service.organization.name_en = "Nightingale Society"
    service.organization.save()
    assert "Yak clinic" in titles("nightingale")

    ServiceHours.objects.create(service=service, weekday=2, is_24_hours=True)
    assert titles("yak", now=NOON, filters=search.Filters(is_open=True)) == ["Yak clinic"]
    ServiceHours.objects.filter(service=service).delete()
    assert titles("yak", now=NOON, filters=search.Filters(is_open=True)) == []

    Service.objects.filter(pk=service.pk).update(name_en="Quokka clinic")
    assert titles("quokka") == []  # update() sends no signal ...
    search.update_index(Service.objects.filter(pk=service.pk))  # ... so its caller does this
    assert titles("quokka") == ["Quokka clinic"]

    service.delete()
    assert titles("quokka") == []
    assert not SearchEntry.objects.filter(object_id=service.pk).exists()


def test_rebuild_command_remakes_the_same_index(sample_data, capsys):
    before = sorted(SearchEntry.objects.values_list("source", "object_id", "language", "title"))
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index")
    assert "Search index rebuilt: 44 entries" in capsys.readouterr().out
    after = sorted(SearchEntry.objects.values_list("source", "object_id", "language", "title"))
    assert after == before
    assert "/en/organizations/ice/" in urls("migra")


HOSTILE = ['"', "*", "NEAR(", "NEAR(a b, 2)", "OR", "AND", "NOT", "-", ":", "a:b",
           "name:ice", "body : x", '"unclosed', 'x" OR "y', "^", "(", ")", "{name}: x",
           "'", "\\", "%", "_", "a*", "!!", "& |", "<->", "--", "ice -", "- - -",
           "é" * 200, "ICE " * 50, "a " * 100, "", "   "]


@pytest.mark.parametrize("language", ["en", "es"])
def test_hostile_queries_are_never_a_500(client, sample_data, language):
    for text in HOSTILE:
        response = client.get(f"/{language}/search/", {"q": text})
        assert response.status_code == 200, text
    assert client.get(f"/{language}/search/", {"q": "a\x00b"}).status_code == 400


def search_path(relations):
    return ("/en/search/?q=Service&kind=service&category={category}&region={region}"
            "&language={language}&free=1&open=1").format(
        category=relations["category"].slug, region=relations["region"].slug,
        language=relations["language"].code)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert re.search(r"\b(2|50) results", response.content.decode())  # every service, open
    return len(queries)


def test_a_filtered_search_runs_the_same_queries_for_2_and_50_records(client, db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOON.replace(hour=17))  # Wednesday 10:00
    small = factories.make_full_directory(2)
    client.get("/en/")  # warm what is cached per process and content version
    small_count = count_queries(client, search_path(small))
    large = factories.make_full_directory(50)
    client.get("/en/")
    large_count = count_queries(client, search_path(large))
    # Banner, synonyms, the category, region and language asked for, the counts, the page,
    # and the names of the categories, regions and languages that have results.
    assert small_count == large_count == 10


@pytest.mark.postgres
def test_postgresql_keeps_a_weighted_vector_with_a_gin_index(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run uses SQLite.")
    factories.make_service(name_en="Crane clinic", description_en="Inmigración")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM directory_searchentry "
                       "WHERE language = 'en' AND title = 'Crane clinic'")
        vector = cursor.fetchone()[0]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = "
                       "'directory_searchentry' AND indexdef LIKE '%%USING gin%%'")
        indexes = [row[0] for row in cursor.fetchall()]
    assert "'crane':1A" in vector
    assert "'inmigracion'" in vector and "B" in vector.split("'inmigracion':")[1]
    # The filter terms are in the same vector, apart from any word; one index per language.
    assert "'=kservice'" in vector
    for code, _name in settings.LANGUAGES:
        assert any(f"USING gin (search_vector) WHERE ((language)::text = '{code}'::text)"
                   in index for index in indexes), (code, indexes)


@pytest.mark.parametrize("text", ["inmigración", "Fianzas"])
def test_sqlite_stores_and_matches_stemmed_accent_free_words(db, text):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: this run uses PostgreSQL.")
    service = factories.make_service(name_es=text)
    entry = SearchEntry.objects.get(object_id=service.pk, language="es")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {search.FTS_TABLE} WHERE rowid = %s", [entry.pk])
        stored = cursor.fetchone()[0]
    assert stored == {"inmigración": "inmigr", "Fianzas": "fianz"}[text]
    assert search.fts_text('NEAR("x" "y") OR -z*', "en") == "near x y z"


def test_organizations_are_split_into_helpers_and_enforcement(sample_data):
    kinds = dict(SearchEntry.objects.filter(
        language="en", source="directory.organization").values_list("url", "kind"))
    assert kinds["/en/organizations/ice/"] == "enforcement"
    assert kinds["/en/organizations/colorado-immigrant-rights-coalition/"] == "organization"
    assert Organization.objects.published().count() == len(kinds)


def test_words_in_the_other_language_lead_to_its_results(client, small_directory):
    factories.make_service(name_en="Free lawyer", name_es="Abogado gratis")
    html = client.get("/en/search/", {"q": "abogado gratis"}).content.decode()
    assert "Nothing matched “abogado gratis”" in html
    assert ('<p lang="es"><a href="/es/search/?q=abogado+gratis" hreflang="es">'
            "«abogado gratis» da resultados en español: véalos</a></p>") in html
    answer = client.get("/es/search/", {"q": "abogado gratis"}).content.decode()
    assert "Abogado gratis" in answer
    # Nothing anywhere: no such link.
    html = client.get("/en/search/", {"q": "zzyzx"}).content.decode()
    assert 'hreflang="es"' not in html.split("<main", 1)[1]
