"""Search: one index table for records and notices, two database backends, one interface.

`search(text, language=…, filters=…)` answers a page of `SearchEntry` rows and the count
of each filter value. Every write reaches `update_index()` (directory.upkeep calls it after
each save, delete and many-to-many change; a `QuerySet.update()` path calls it with the
rows it changed), and `rebuild_index()` remakes everything.

PostgreSQL matches a stored, weighted `tsvector` (names A, the rest B) with
`websearch_to_tsquery` in the `en_unaccent`/`es_unaccent` configurations. SQLite matches
an FTS5 table of the same rows, whose text and queries are case-folded, accent-stripped
and Snowball-stemmed here, with PostgreSQL's stop words, so both answer alike.

Each entry's filters (kind, regions, categories, languages, free, the hours of the week it
is open) are terms in the same index, so that a narrow filter on a common word reads only
the entries it allows, at 100 records as at 100,000. The text a visitor types is parsed
here (phrases in quotes, `-word`, `or`), widened with the staff's synonyms, and handed to
the database only as parameters or quoted terms.

Other apps add what they index with `register()` (alerts registers notices), so this
module never imports them.
"""

import functools
import itertools
import re
import threading
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer
from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import hours
from .models import (
    Category,
    DetentionFacility,
    Hotline,
    HotlineHours,
    Language,
    LegalFund,
    Location,
    LocationHours,
    Organization,
    Policy,
    Region,
    SearchEntry,
    SearchFacet,
    SearchOpening,
    Service,
    ServiceHours,
    Synonym,
)

# What results can be, in the order the kind filter lists them.
KINDS = {
    "hotline": _("Hotlines"),
    "service": _("Services"),
    "legalfund": _("Legal funds"),
    "organization": _("Organizations that help"),
    "detentionfacility": _("Detention facilities"),
    "policy": _("Local policies"),
    "enforcement": _("Enforcement agencies and detention operators"),
    "notice": _("Notices"),
}
PAGE_SIZE = 20
# A search counts and ranks at most this many matches (plus one, to know there are more):
# "500+ results", the first 500 found ranked. Below it everything is exact. Nobody pages
# through 25 pages; a word found all over a national directory wants a region instead, and
# the work of the counts and the ranking grows with this figure (1,000 cost PostgreSQL
# 8–12 ms more a search at 100,000 records).
COUNT_LIMIT = 500
# The filter counts are made over at most this many matches; beyond it they are lower bounds.
# The same as COUNT_LIMIT, so that a search without filters counts and ranks one sample.
FACET_SAMPLE = COUNT_LIMIT
# Beyond this many terms (synonyms included) the rest of a query is dropped.
MAX_TERMS = 64
FTS_TABLE = "directory_searchentry_fts"
PG_CONFIGS = {"en": "en_unaccent", "es": "es_unaccent"}
STEMMERS = {"en": "english", "es": "spanish"}
# PostgreSQL's own stop word lists (tsearch_data/*.stop), so that SQLite drops the same words.
STOP_WORDS = {
    "en": frozenset("""
        i me my myself we our ours ourselves you your yours yourself yourselves he him his
        himself she her hers herself it its itself they them their theirs themselves what which
        who whom this that these those am is are was were be been being have has had having do
        does did doing a an the and but if or because as until while of at by for with about
        against between into through during before after above below to from up down in out on
        off over under again further then once here there when where why how all any both each
        few more most other some such no nor not only own same so than too very s t can will
        just don should now
    """.split()),
    "es": frozenset("""
        de la que el en y a los del se las por un para con no una su al lo como más pero sus le
        ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien
        desde todo nos durante todos uno les ni contra otros ese eso ante ellos e esto mí antes
        algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada muchos cual
        poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas nosotras
        vosostros vosostras os mío mía míos mías tuyo tuya tuyos tuyas suyo suya suyos suyas
        nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas estoy
        estás está estamos estáis están esté estés estemos estéis estén estaré estarás estará
        estaremos estaréis estarán estaría estarías estaríamos estaríais estarían estaba estabas
        estábamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis estuvieron
        estuviera estuvieras estuviéramos estuvierais estuvieran estuviese estuvieses
        estuviésemos estuvieseis estuviesen estando estado estada estados estadas estad he has
        ha hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá habremos habréis
        habrán habría habrías habríamos habríais habrían había habías habíamos habíais habían
        hube hubiste hubo hubimos hubisteis hubieron hubiera hubieras hubiéramos hubierais
        hubieran hubiese hubieses hubiésemos hubieseis hubiesen habiendo habido habida habidos
        habidas soy eres es somos sois son sea seas seamos seáis sean seré serás será seremos
        seréis serán sería serías seríamos seríais serían era eras éramos erais eran fui
        fuiste fue fuimos fuisteis fueron fuera fueras fuéramos fuerais fueran fuese fueses
        fuésemos fueseis fuesen sintiendo sentido sentida sentidos sentidas siente sentid tengo
        tienes tiene tenemos tenéis tienen tenga tengas tengamos tengáis tengan tendré tendrás
        tendrá tendremos tendréis tendrán tendría tendrías tendríamos tendríais tendrían tenía
        tenías teníamos teníais tenían tuve tuviste tuvo tuvimos tuvisteis tuvieron tuviera
        tuvieras tuviéramos tuvierais tuvieran tuviese tuvieses tuviésemos tuvieseis tuviesen
        teniendo tenido tenida tenidos tenidas tened
    """.split()),
}
_WORD = re.compile(r"[^\W_]+")
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_stemmers = threading.local()


# --- Words --------------------------------------------------------------------------------

def _strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Latin letters with their accents stripped, for str.translate: the common case at C speed.
_LATIN_FOLD = {code: _strip_accents(chr(code)) for code in range(0x80, 0x250)}


def unaccent(text):
    folded = text.casefold()
    if not folded.isascii():
        quick = folded.translate(_LATIN_FOLD)
        folded = quick if quick.isascii() else _strip_accents(folded)
    return folded


def words(text):
    """Lower-case, accent-free words: the unit both the query and the index are cut into."""
    return _WORD.findall(unaccent(text))


def _stemmer(language):
    cache = _stemmers.__dict__
    if language not in cache:
        cache[language] = snowballstemmer.stemmer(STEMMERS.get(language, "english"))
    return cache[language]


@functools.lru_cache(maxsize=200_000)
def stem(word, language):
    """Snowball in pure Python costs some 30 µs a word; a vocabulary repeats, so cache it."""
    return _stemmer(language).stemWord(word)


def stems(text_words, language):
    """The words as the index stores them on SQLite: stop words dropped, stemmed."""
    stop = STOP_WORDS.get(language, STOP_WORDS["en"])
    return [stem(word, language) for word in text_words if word not in stop]


def fts_text(text, language):
    return " ".join(stems(words(text), language))


# --- Queries ------------------------------------------------------------------------------

@dataclass
class Alternative:
    """Words that must all be found; in order and side by side when `is_phrase`."""

    words: list
    is_phrase: bool = False


@dataclass
class Clause:
    """One part of the query: any of its alternatives matches it."""

    alternatives: list
    is_negated: bool = False
    synonym: str = ""


@dataclass
class Query:
    text: str
    language: str
    clauses: list = field(default_factory=list)

    @property
    def positive(self):
        return [clause for clause in self.clauses if not clause.is_negated]

    @property
    def negative(self):
        return [clause for clause in self.clauses if clause.is_negated]

    def without_stop_words(self):
        """The query as it can match: stop words dropped, and any part left empty with them."""
        stop = STOP_WORDS.get(self.language, STOP_WORDS["en"])
        clauses = []
        for clause in self.clauses:
            alternatives = [Alternative([w for w in alt.words if w not in stop], alt.is_phrase)
                            for alt in clause.alternatives]
            alternatives = [alt for alt in alternatives if alt.words]
            if alternatives:
                clauses.append(Clause(alternatives, clause.is_negated, clause.synonym))
        return Query(self.text, self.language, clauses)

    @property
    def can_match(self):
        return bool(self.without_stop_words().positive)


def parse_query(text, language, synonyms=()):
    """The visitor's text as clauses, in web-search style: "a phrase", -not, this or that.

    `synonyms` are (phrase words, [alternative words, …]) pairs; a run of plain words equal
    to a phrase (the longest first) becomes one clause that any alternative also matches.
    """
    clauses, pending_or, terms = [], False, 0
    for negated_phrase, phrase, negated, chunk in _QUERY_PART.findall(text):
        if terms >= MAX_TERMS:
            break
        if chunk and chunk.casefold() == "or" and not negated:
            pending_or = bool(clauses)
            continue
        found = words(phrase if not chunk else chunk)
        if not found:
            continue
        terms += len(found)
        is_negated = bool(negated_phrase if not chunk else negated)
        if not chunk and len(found) > 1:
            new = [Clause([Alternative(found, is_phrase=True)], is_negated)]
        else:
            new = [Clause([Alternative([word])], is_negated) for word in found]
        if pending_or and not is_negated and not clauses[-1].is_negated:
            clauses[-1].alternatives.extend(new[0].alternatives)
            new = new[1:]
        pending_or = False
        clauses.extend(new)
    return Query(text, language, _with_synonyms(clauses, synonyms))


def _is_plain_word(clause):
    return (not clause.is_negated and len(clause.alternatives) == 1
            and len(clause.alternatives[0].words) == 1)


def _with_synonyms(clauses, synonyms):
    by_length = sorted(synonyms, key=lambda pair: -len(pair[0]))
    result, index = [], 0
    while index < len(clauses):
        for phrase, alternatives in by_length:
            span = clauses[index:index + len(phrase)]
            if len(span) == len(phrase) and all(_is_plain_word(c) for c in span) and [
                c.alternatives[0].words[0] for c in span
            ] == phrase:
                result.append(Clause(
                    [Alternative(list(phrase))] + [Alternative(alt) for alt in alternatives],
                    synonym=" ".join(phrase)))
                index += len(phrase)
                break
        else:
            result.append(clauses[index])
            index += 1
    return result


def synonyms_for(language):
    """The staff's synonyms for a language as normalised words (one query)."""
    pairs = []
    for synonym in Synonym.objects.filter(language=language):
        phrase = words(synonym.phrase)
        alternatives = [found for line in synonym.alternative_list if (found := words(line))]
        if phrase and alternatives:
            pairs.append((phrase, alternatives))
    return pairs


# --- Backends -----------------------------------------------------------------------------

def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def filter_term(name, value):
    """The word the index's filter terms hold for a filter's value: "kservice", "r12", "free",
    and for "open now" the hour of the week (from Monday 00:00 in Denver) `value` falls in."""
    if name == "kind":
        return "k" + re.sub(r"[^a-z0-9]", "", str(value).lower())
    if name == "is_free":
        return "free"
    if name == "is_open":
        return f"h{int(value) // 60}"
    return f"{str(FACET_NAMES[name])}{int(value)}"


def open_hour_terms(open_intervals):
    """A term for each hour of the week with an open minute: an entry open at a minute holds
    that hour's term, so the index narrows "open now" to a few entries to look at closely."""
    found = set()
    for start, end in open_intervals:
        found.update(range(start // 60, (end - 1) // 60 + 1))
    return [filter_term("is_open", hour * 60) for hour in sorted(found)]


def filter_terms(document):
    terms = [filter_term("kind", document.kind)]
    if document.is_free:
        terms.append(filter_term("is_free", True))
    for name, values in (("region", document.region_ids), ("category", document.category_ids),
                         ("language", document.language_ids)):
        terms.extend(filter_term(name, value) for value in sorted(values))
    if document.schedule:
        terms.extend(open_hour_terms(document.schedule["open"]))
    return " ".join(terms)


def _term_groups(terms, may_miss_one):
    """Sets of filter terms of which an entry must hold all of at least one: every term, or,
    when one may be missing, every term but one, for each term in turn."""
    if may_miss_one:
        return [[t for t in terms if t != left_out] for left_out in terms] if len(terms) > 1 \
            else []
    return [list(terms)] if terms else []


class PostgresBackend:
    """A stored tsvector (GIN-indexed per language) matched with `@@`, ranked with ts_rank.

    The vector holds the entry's filter terms as lexemes starting with "=" (see migration
    0008), so that one index look-up answers the words and the filters together.
    """

    def match(self, query, term_groups=()):
        """FROM, WHERE and rank (smaller is better) SQL with their parameters, for the text
        (or None) and the filter terms (an entry must hold all the terms of some group)."""
        from_sql, params, parts = f"{_table(SearchEntry)} e", [], []
        if query is not None:
            config = PG_CONFIGS.get(query.language, "en_unaccent")

            def alternative(alt):
                params.append(config)
                params.append(f'"{' '.join(alt.words)}"' if alt.is_phrase
                              else " ".join(alt.words))
                return "websearch_to_tsquery(%s::regconfig, %s)"

            for clause in query.clauses:
                either = " || ".join(alternative(alt) for alt in clause.alternatives)
                parts.append(f"!!({either})" if clause.is_negated else f"({either})")
        if term_groups:
            parts.append("%s::tsquery")
            params.append(" | ".join(
                "(" + " & ".join(f"'={term}'" for term in group) + ")" for group in term_groups))
        if not parts:
            return from_sql, [], "1 = 1", [], ""
        from_sql += f" CROSS JOIN (SELECT {' && '.join(parts)} AS q) search_query"
        rank = "-ts_rank(e.search_vector, search_query.q)" if query is not None else ""
        return from_sql, params, "e.search_vector @@ search_query.q", [], rank


class SqliteBackend:
    """An FTS5 table of stemmed text and filter terms, matched with quoted terms only, ranked
    by how many of the query's terms the name holds.

    Not bm25: its weights read every entry holding each term (a common word and its
    synonyms: most of the directory) before the first row is ranked, 10–17 ms a search at
    100,000 records. Marking the terms in the short name of each match costs 2–6 ms.
    """

    # Smaller is better, like PostgreSQL's negated ts_rank: minus the query terms found in
    # the name (each one found gets a one-character mark).
    RANK = f"(length({FTS_TABLE}.name) - length(highlight({FTS_TABLE}, 0, char(1), '')))"

    def match(self, query, term_groups=()):
        parts = []
        if term_groups:
            parts.append("terms : (" + " OR ".join(
                "(" + " AND ".join(f'"{term}"' for term in group) + ")"
                for group in term_groups) + ")")
        if query is None:
            if not parts:
                return f"{_table(SearchEntry)} e", [], "1 = 1", [], ""
            return (f"{FTS_TABLE} JOIN {_table(SearchEntry)} e ON e.id = {FTS_TABLE}.rowid", [],
                    f"{FTS_TABLE} MATCH %s", [" AND ".join(parts)], "")
        query = query.without_stop_words()

        def alternative(alt):
            terms = [f'"{stem(word, query.language)}"' for word in alt.words]
            if alt.is_phrase:
                return '"' + " ".join(term.strip('"') for term in terms) + '"'
            return "(" + " AND ".join(terms) + ")"

        def either(clause):
            # A synonym that stems like the word ("abogados", "abogado") is asked once.
            return "(" + " OR ".join(dict.fromkeys(map(alternative, clause.alternatives))) + ")"

        positive = " AND ".join(either(clause) for clause in query.positive)
        expression = positive + "".join(f" NOT {either(clause)}" for clause in query.negative)
        # The visitor's words are looked for in the text columns only, never in the terms.
        parts.insert(0, "{name body} : (" + expression + ")")
        from_sql = f"{FTS_TABLE} JOIN {_table(SearchEntry)} e ON e.id = {FTS_TABLE}.rowid"
        return from_sql, [], f"{FTS_TABLE} MATCH %s", [" AND ".join(parts)], self.RANK

    @staticmethod
    def write(cursor, rows):
        cursor.executemany(
            f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, name, body, terms) "
            f"VALUES (%s, %s, %s, %s)", rows)

    @staticmethod
    def clear(cursor):
        cursor.execute(f"DELETE FROM {FTS_TABLE}")


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


# --- Searching ----------------------------------------------------------------------------

@dataclass
class Filters:
    """What the results are narrowed to; ids for the vocabularies."""

    kind: str = ""
    category: int | None = None
    region: int | None = None
    language: int | None = None
    is_free: bool = False
    is_open: bool = False

    @property
    def active(self):
        return [name for name in ("kind", "category", "region", "language", "is_free", "is_open")
                if getattr(self, name)]

    def terms(self, minute):
        """{filter: its term} for the active filters, "open now" at this minute of the week."""
        return {name: filter_term(name, minute if name == "is_open" else getattr(self, name))
                for name in self.active}


@dataclass
class SearchResult:
    query: Query | None
    entries: list
    total: int
    page: int
    num_pages: int
    # Per filter, the results each value would give with the other filters kept:
    # {"kind": {"service": 3}, "region": {id: n}, "category": …, "language": …,
    #  "is_free": n, "is_open": n}.
    facets: dict
    # More than COUNT_LIMIT matched: `total` is COUNT_LIMIT and the page is ranked among
    # the first COUNT_LIMIT found (see `search`).
    total_is_capped: bool = False
    # The counts were made over the first FACET_SAMPLE matches only: each is a lower bound.
    facets_are_capped: bool = False


FACET_NAMES = {"region": SearchFacet.Name.REGION, "category": SearchFacet.Name.CATEGORY,
               "language": SearchFacet.Name.LANGUAGE}


def search(text, *, language, filters=None, page=1, per_page=PAGE_SIZE, now=None):
    """A page of results and each filter's counts, in three queries (two when none match).

    An empty `text` with filters lists everything the filters allow, by title. A `page`
    past the last one gives the last page.

    The work is bounded whatever the size of the directory: the counts are made over at
    most FACET_SAMPLE matches, and the page is ranked among at most COUNT_LIMIT + 1
    matches. Below those sizes every figure is exact; above them `facets_are_capped` says
    the counts are lower bounds, and `total_is_capped` that there are more than
    COUNT_LIMIT results, of which the first COUNT_LIMIT found are ranked and paged.
    """
    filters = filters or Filters()
    now = now or timezone.now()
    query = None
    if text.strip():
        query = parse_query(text, language, synonyms_for(language))
        if not query.can_match:
            return SearchResult(query, [], 0, 1, 1, _empty_facets())
    sql = _SearchSql(query, language, filters, now)
    page = max(1, page)
    if query is not None and not filters.active:
        # Words alone: the counts and the ranking come from one look-up in the index.
        facets, facets_are_capped, ranked_ids = sql.facets(with_ranking=True)
        found = len(ranked_ids)
        total = min(found, COUNT_LIMIT)
        num_pages = _page_count(total, per_page)
        page = min(page, num_pages)
        offset = (page - 1) * per_page
        return SearchResult(query, sql.entries(ranked_ids[offset:min(offset + per_page, total)]),
                            total, page, num_pages, facets, total_is_capped=found > COUNT_LIMIT,
                            facets_are_capped=facets_are_capped)
    facets, facets_are_capped, _ranked_ids = sql.facets()
    if not facets_are_capped:
        total = (facets["kind"].get(filters.kind, 0) if filters.kind
                 else sum(facets["kind"].values()))
        num_pages = _page_count(total, per_page)
        page = min(page, num_pages)
        entries = sql.page(per_page, (page - 1) * per_page)[0] if total else []
        return SearchResult(query, entries, total, page, num_pages, facets)
    # Too many matches to count them all: the page query counts up to COUNT_LIMIT + 1.
    entries, found = sql.page(per_page, (page - 1) * per_page)
    if not entries and page > 1:
        page = _page_count(min(found, COUNT_LIMIT), per_page)
        entries, found = sql.page(per_page, (page - 1) * per_page)
    total = min(found, COUNT_LIMIT)
    return SearchResult(query, entries, total, page, _page_count(total, per_page), facets,
                        total_is_capped=found > COUNT_LIMIT, facets_are_capped=True)


def _page_count(total, per_page):
    return max(1, -(-total // per_page))


def _empty_facets():
    return {"kind": {}, "region": {}, "category": {}, "language": {}, "is_free": 0, "is_open": 0}


class _SearchSql:
    """The two statements of a search: filter counts over the matches, then one ranked page."""

    RESULT_COLUMNS = ("id", "source", "object_id", "language", "kind", "title", "title_language",
                      "summary", "summary_language", "url", "hours")

    def __init__(self, query, language, filters, now):
        self.query = query
        self.filters = filters
        self.minute = hours.minute_of_week(now)
        moment = connection.ops.adapt_datetimefield_value(now)
        self.shown_where = ("e.language = %s AND (e.public_from IS NULL OR e.public_from <= %s) "
                            "AND (e.public_until IS NULL OR e.public_until > %s)")
        self.shown_params = [language, moment, moment]

    def _matches(self, term_groups):
        """FROM and WHERE with their parameters, and the rank, for the entries shown now that
        match the text and hold all the filter terms of one of `term_groups`. The index
        finds them: a narrow filter on a common word reads only the entries it allows."""
        from_sql, from_params, match, match_params, rank = backend().match(
            self.query, term_groups)
        return (from_sql, from_params, f"{match} AND {self.shown_where}",
                [*match_params, *self.shown_params], rank)

    def _filter_terms(self):
        return list(self.filters.terms(self.minute).values())

    def _is_open(self, alias):
        # A scalar subquery, not EXISTS: PostgreSQL would hash every opening of the week
        # first; this is one look-up in the primary key per match.
        return (f"(SELECT 1 FROM {_table(SearchOpening)} o WHERE o.entry_id = {alias}.id "
                f"AND o.starts <= %s AND o.ends > %s LIMIT 1) IS NOT NULL"), [
                    self.minute, self.minute]

    # Each filter as a true/false column over the entry `e`.
    def _condition(self, name):
        if name == "kind":
            return "e.kind = %s", [self.filters.kind]
        if name == "is_free":
            return "e.is_free = %s", [True]
        if name == "is_open":
            return self._is_open("e")
        # The entry's own terms: no look-up elsewhere.
        return "(' ' || e.filter_terms || ' ') LIKE %s", [
            f"% {filter_term(name, getattr(self.filters, name))} %"]

    def facets(self, with_ranking=False):
        """Counts for every filter value in one statement: the matches are found once (a
        materialised CTE with a column per active filter) and grouped per filter.

        Answers the counts, whether they are capped, and `with_ranking` (no filters, so
        the counted matches are the results) the ids of the matches in rank order.
        """
        active = self.filters.active
        columns, column_params = [], []
        for name in active:
            condition, params = self._condition(name)
            columns.append(f", {condition} AS f_{name}")
            column_params.extend(params)
        # Only the matches that fail at most one filter count for some filter value, and
        # only the first FACET_SAMPLE of them are counted. The index leaves out the entries
        # that miss two of the filters' terms; the columns then say exactly which pass (an
        # hour's term is only a hint of "open now").
        kept_where, term_groups = "", []
        if len(active) > 1:
            kept_where = (" WHERE " + " + ".join(f"CAST(x.f_{name} AS INTEGER)" for name in active)
                          + f" >= {len(active) - 1}")
            term_groups = _term_groups(self._filter_terms(), may_miss_one=True)
        from_sql, from_params, where, where_params, rank = self._matches(term_groups)
        if with_ranking:
            columns.append(f", {rank or '0'} AS score, e.title AS title")
        cte = (f"WITH m AS MATERIALIZED (SELECT * FROM (SELECT e.id AS id, e.kind AS kind, "
               f"e.is_free AS is_free{''.join(columns)} FROM {from_sql} "
               f"WHERE {where}) x{kept_where} LIMIT %s)")
        params = [*column_params, *from_params, *where_params, FACET_SAMPLE + 1]

        def kept(but):
            conditions = [f"m.f_{name}" for name in active if name != but]
            return " AND ".join(conditions) or "1 = 1"

        facet_table = _table(SearchFacet)
        branches = [f"SELECT 'kind', m.kind, COUNT(*) FROM m WHERE {kept('kind')} GROUP BY m.kind"]
        # CROSS JOIN keeps the matches outside: SQLite would otherwise walk every filter
        # value of the directory and look each one up among the matches.
        for name, code in FACET_NAMES.items():
            branches.append(
                f"SELECT '{name}', CAST(f.value AS TEXT), COUNT(*) FROM m CROSS JOIN "
                f"{facet_table} f WHERE f.entry_id = m.id AND f.name = '{code}' "
                f"AND {kept(name)} GROUP BY f.value")
        branches.append(f"SELECT 'is_free', '', COUNT(*) FROM m WHERE {kept('is_free')} "
                        f"AND m.is_free = %s")
        params.append(True)
        if "is_open" in active:
            branches.append(f"SELECT 'is_open', '', COUNT(*) FROM m WHERE {kept('is_open')} "
                            f"AND m.f_is_open")
        else:
            is_open, is_open_params = self._is_open("m")
            branches.append(
                f"SELECT 'is_open', '', COUNT(*) FROM m WHERE {kept('is_open')} AND {is_open}")
            params.extend(is_open_params)
        branches.append("SELECT 'sample', '', COUNT(*) FROM m")
        if with_ranking:
            branches.append("SELECT 'rank', CAST(m.id AS TEXT), ROW_NUMBER() OVER "
                            "(ORDER BY m.score, m.title, m.id) FROM m")
        facets, sampled, ranked = _empty_facets(), 0, []
        with connection.cursor() as cursor:
            cursor.execute(cte + " " + " UNION ALL ".join(branches), params)
            for name, value, count in cursor.fetchall():
                if name == "sample":
                    sampled = count
                    continue
                if name == "rank":
                    ranked.append((count, int(value)))
                    continue
                if name in ("is_free", "is_open"):
                    facets[name] = count
                elif name == "kind":
                    facets["kind"][value] = count
                else:
                    facets[name][int(value)] = count
        return facets, sampled > FACET_SAMPLE, [entry_id for _position, entry_id in sorted(ranked)]

    def entries(self, ids):
        """These entries, in this order, as the page shows them."""
        found = SearchEntry.objects.only(*self.RESULT_COLUMNS).order_by().in_bulk(ids)
        return [found[entry_id] for entry_id in ids if entry_id in found]

    def page(self, limit, offset):
        """The page's entries, and how many matched, counted up to COUNT_LIMIT + 1.

        The ranking is over those first COUNT_LIMIT + 1 matches only, so that a word found
        in most of the directory costs no more than a rarer one.
        """
        from_sql, from_params, where, where_params, rank = self._matches(
            _term_groups(self._filter_terms(), may_miss_one=False))
        conditions, params = [where], [*from_params, *where_params]
        if self.filters.is_open:
            condition, condition_params = self._is_open("e")
            conditions.append(condition)
            params.extend(condition_params)
        columns = ", ".join(f"r.{column}" for column in self.RESULT_COLUMNS)
        # The page is cut from the ranked matches before their rows are read.
        sql = (f"WITH c AS MATERIALIZED (SELECT e.id AS id, {rank or '0'} AS score, "
               f"e.title AS title FROM {from_sql} WHERE {' AND '.join(conditions)} "
               f"LIMIT %s) "
               f"SELECT {columns}, (SELECT COUNT(*) FROM c) AS found FROM (SELECT c.id, "
               f"c.score, c.title FROM c ORDER BY c.score, c.title, c.id LIMIT %s OFFSET %s) p "
               f"JOIN {_table(SearchEntry)} r ON r.id = p.id ORDER BY p.score, p.title, p.id")
        # Pages reach no further than the first COUNT_LIMIT, the figure a visitor is shown.
        limit = min(limit, COUNT_LIMIT - offset)
        entries = list(SearchEntry.objects.raw(
            sql, [*params, COUNT_LIMIT + 1, limit, offset])) if limit > 0 else []
        if entries:
            return entries, entries[0].found
        if not offset:
            return [], 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {from_sql} "
                           f"WHERE {' AND '.join(conditions)} LIMIT %s) c",
                           [*params, COUNT_LIMIT + 1])
            return [], cursor.fetchone()[0]


# --- What is indexed ----------------------------------------------------------------------

@dataclass
class Document:
    """One item's entry in one language, as a source describes it."""

    language: str
    kind: str
    title: str
    title_language: str
    url: str
    name_text: str
    body_text: str = ""
    summary: str = ""
    summary_language: str = ""
    region_ids: frozenset = frozenset()
    category_ids: frozenset = frozenset()
    language_ids: frozenset = frozenset()
    is_free: bool = False
    public_from: object = None
    public_until: object = None
    schedule: dict | None = None


class IndexContext:
    """What every document needs besides its own item: the regions and how they nest."""

    def __init__(self):
        self.regions = {region.pk: region for region in Region.objects.all()}

    def with_ancestors(self, region_ids):
        """Each region and every region around it: a filter by Colorado finds Aurora's records."""
        found = set()
        for region_id in region_ids:
            while region_id is not None and region_id not in found:
                found.add(region_id)
                region = self.regions.get(region_id)
                region_id = region.parent_id if region else None
        return frozenset(found)

    def region_names(self, region_ids, language):
        return [translated(self.regions[pk], "name", language)[0] for pk in region_ids
                if pk in self.regions]


def translated(obj, field_name, language):
    """The field in this language, or in the default language when that one is empty."""
    value = getattr(obj, f"{field_name}_{language}", None) or ""
    if value:
        return value, language
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return getattr(obj, f"{field_name}_{default}", None) or getattr(obj, field_name, "") or "", \
        default


class IndexSource:
    """A kind of item the index holds. Subclasses say which rows, and what each one says."""

    model = None
    # The many-to-many fields whose changes change the item's entries.
    m2m_fields = ()

    @property
    def label(self):
        return self.model._meta.label_lower

    def queryset(self):
        """The items that belong in the index, with what documents() reads fetched up front."""
        raise NotImplementedError

    def documents(self, item, context):
        """One Document per language."""
        raise NotImplementedError

    def affected(self, model, objects):
        """The ids of this source's items that a write to `objects` (of `model`) changes."""
        if model is self.model:
            return {obj.pk for obj in objects}
        return set()


class RecordSource(IndexSource):
    """A directory record kind: names, text, regions, categories, languages, hours."""

    m2m_fields = ("areas_served", "languages", "categories")
    select = ()
    prefetch = ()
    # The record's own text fields besides name, summary and description.
    text_fields = ()
    # Untranslated fields that name the record too (official and other names).
    name_fields = ()
    # Foreign keys to organizations whose names the record's text carries.
    organization_fields = ("organization",)

    def __init__(self, model, *, select=(), prefetch=(), text_fields=(), name_fields=(),
                 organization_fields=("organization",)):
        self.model = model
        self.select = select
        self.prefetch = prefetch
        self.text_fields = text_fields
        self.name_fields = name_fields
        self.organization_fields = organization_fields

    def queryset(self):
        queryset = self.model.objects.published().prefetch_related(
            "areas_served", "languages", "categories", *self.prefetch)
        return queryset.select_related(*self.select) if self.select else queryset

    def kind(self, item):
        return self.model._meta.model_name

    def schedule(self, item):
        return None

    def is_free(self, item):
        return False

    def documents(self, item, context):
        areas = [region.pk for region in item.areas_served.all()]
        categories = list(item.categories.all())
        schedule = self.schedule(item)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                url = item.get_absolute_url()
                kind_label = (item.get_kind_display() if isinstance(item, Organization)
                              else str(self.model._meta.verbose_name))
            title, title_language = translated(item, "name", language)
            summary, summary_language = translated(item, "summary", language)
            names = [title] + [str(getattr(item, name)) for name in self.name_fields]
            body = [summary, translated(item, "description", language)[0], kind_label]
            body += [translated(item, name, language)[0] for name in self.text_fields]
            body += [translated(getattr(item, name), "name", language)[0]
                     for name in self.organization_fields if getattr(item, name, None)]
            body += [translated(category, "name", language)[0] for category in categories]
            body += context.region_names(areas, language)
            yield Document(
                language=language, kind=self.kind(item), title=title,
                title_language=title_language, url=url, summary=summary,
                summary_language=summary_language, name_text="\n".join(filter(None, names)),
                body_text="\n".join(filter(None, body)),
                region_ids=context.with_ancestors(areas),
                category_ids=frozenset(category.pk for category in categories),
                language_ids=frozenset(spoken.pk for spoken in item.languages.all()),
                is_free=self.is_free(item), schedule=schedule)

    def affected(self, model, objects):
        found = super().affected(model, objects)
        if model is Organization and self.organization_fields:
            lookup = {f"{name}__in": [obj.pk for obj in objects]
                      for name in self.organization_fields}
            for name, value in lookup.items():
                found |= set(self.model.objects.filter(**{name: value}).values_list(
                    "pk", flat=True))
        return found


class OrganizationSource(RecordSource):
    def __init__(self):
        super().__init__(Organization, select=("parent",), prefetch=("locations__hours",),
                         organization_fields=("parent",))

    def kind(self, item):
        return "enforcement" if item.is_enforcement else "organization"

    def schedule(self, item):
        rows = [row for location in item.locations.all() for row in location.hours.all()]
        return hours.weekly_schedule(rows) if rows else None

    def affected(self, model, objects):
        found = super().affected(model, objects)
        if model is Location:
            found |= {obj.organization_id for obj in objects if obj.organization_id}
        elif model is LocationHours:
            found |= set(Location.objects.filter(
                pk__in={obj.location_id for obj in objects}, organization__isnull=False
            ).values_list("organization_id", flat=True))
        return found


class HoursRecordSource(RecordSource):
    """Hotlines and services: their own hours rows say when they are open."""

    def __init__(self, model, hours_model, **kwargs):
        super().__init__(model, prefetch=("hours",), **kwargs)
        self.hours_model = hours_model
        self.owner_field = model._meta.model_name

    def schedule(self, item):
        rows = list(item.hours.all())
        return hours.weekly_schedule(rows) if rows else None

    def is_free(self, item):
        return getattr(item, "cost", "") == Service.Cost.FREE

    def affected(self, model, objects):
        found = super().affected(model, objects)
        if model is self.hours_model:
            found |= {getattr(obj, f"{self.owner_field}_id") for obj in objects}
        return found


_sources = []


def register(source):
    """Add a kind of item to the index; other apps call this from AppConfig.ready()."""
    if all(existing.label != source.label for existing in _sources):
        _sources.append(source)


def sources():
    return list(_sources)


register(OrganizationSource())
register(HoursRecordSource(Hotline, HotlineHours, select=("organization",),
                           text_fields=("purpose",)))
register(HoursRecordSource(Service, ServiceHours, select=("organization",),
                           text_fields=("eligibility", "how_to_get_it")))
register(RecordSource(LegalFund, select=("organization",),
                      text_fields=("pays_for", "eligibility", "how_to_get_it")))
register(RecordSource(DetentionFacility, select=("operator", "authority"),
                      text_fields=("visiting_rules", "how_to_find_someone"),
                      name_fields=("official_name", "other_names"),
                      organization_fields=("operator", "authority")))
register(RecordSource(Policy, select=("organization",), text_fields=("spoken_by", "quote")))

# Writes to these change entries through the facet rows that name them.
VOCABULARIES = {Region: SearchFacet.Name.REGION, Category: SearchFacet.Name.CATEGORY,
                Language: SearchFacet.Name.LANGUAGE}
INDEX_MODELS = (SearchEntry, SearchFacet, SearchOpening)


# --- Keeping the index ---------------------------------------------------------------------

def _indexed_relations():
    return {getattr(source.model, name).through for source in _sources
            for name in source.m2m_fields}


def update_index(objects, *, through=None):
    """Bring the index in line after a write to these objects (instances or a QuerySet).

    Called by directory.upkeep after every save and delete, and after a many-to-many
    change with the relation's `through` model (a relation the index does not read is
    skipped); call it after a `QuerySet.update()` with the rows the update changed.
    """
    if through is not None and through not in _indexed_relations():
        return
    by_model = {}
    for obj in objects:
        by_model.setdefault(obj._meta.concrete_model, []).append(obj)
    for model, group in by_model.items():
        if model in INDEX_MODELS:
            continue
        wanted = {source.label: source.affected(model, group) for source in _sources}
        if model in VOCABULARIES:
            for label, object_id in SearchEntry.objects.filter(
                facets__name=VOCABULARIES[model], facets__value__in=[o.pk for o in group]
            ).values_list("source", "object_id").distinct():
                wanted.setdefault(label, set()).add(object_id)
        for source in _sources:
            if wanted.get(source.label):
                reindex(source, wanted[source.label])


def reindex(source, ids):
    """Replace these items' entries with what they say now (none once gone or unpublished)."""
    ids = list(ids)
    with transaction.atomic():
        _delete_entries(source.label, ids)
        _write(source, list(source.queryset().filter(pk__in=ids)), IndexContext())


def rebuild_index(batch_size=500, step=25):
    """Empty the index and index every item again; answers the number of entries written.

    The kinds are written interleaved, `step` items of each in turn, so that the index's
    own order (which a search samples when it matches too much to count) mixes them.
    """
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            SqliteBackend.clear(cursor)
        for model in (SearchFacet, SearchOpening, SearchEntry):
            cursor.execute(f"DELETE FROM {_table(model)}")
        context = IndexContext()
        streams = [(source, source.queryset().iterator(chunk_size=batch_size))
                   for source in _sources]
        while streams:
            for source, items in list(streams):
                batch = list(itertools.islice(items, step))
                if len(batch) < step:
                    streams.remove((source, items))
                written += _write(source, batch, context)
    return written


def _delete_entries(label, object_ids):
    """Delete these items' entries; their filter values and openings go with them (DB cascade)."""
    with connection.cursor() as cursor:
        for chunk in _chunks(object_ids):
            values = [SearchEntry._meta.get_field("object_id").get_db_prep_value(
                object_id, connection) for object_id in chunk]
            where = (f"FROM {_table(SearchEntry)} WHERE source = %s "
                     f"AND object_id IN ({', '.join(['%s'] * len(values))})")
            if connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT id {where})",
                               [label, *values])
            cursor.execute(f"DELETE {where}", [label, *values])


def _chunks(values, size=500):
    values = list(values)
    return [values[start:start + size] for start in range(0, len(values), size)]


def _write(source, items, context):
    """Insert these items' entries, filter values, openings (and FTS rows on SQLite).

    Plain INSERTs with ids taken up front: a rebuild writes hundreds of thousands of rows,
    and model instances would cost more than the database does.
    """
    pairs = [(item, document) for item in items for document in source.documents(item, context)]
    if not pairs:
        return 0
    ids = _new_entry_ids(len(pairs))
    fields = [field for field in SearchEntry._meta.concrete_fields if not field.primary_key]
    prepare = [field.get_db_prep_save for field in fields]
    rows = []
    for entry_id, (item, doc) in zip(ids, pairs, strict=True):
        values = (source.label, item.pk, doc.language, doc.kind, doc.is_free, doc.public_from,
                  doc.public_until, doc.title[:300], doc.title_language,
                  doc.summary_language or doc.title_language, doc.url, doc.schedule,
                  doc.summary, doc.name_text, doc.body_text, filter_terms(doc))
        rows.append([entry_id, *(prep(value, connection)
                                 for prep, value in zip(prepare, values, strict=True))])
    facets, openings = [], []
    for entry_id, (_item, doc) in zip(ids, pairs, strict=True):
        for name, values in ((SearchFacet.Name.REGION, doc.region_ids),
                             (SearchFacet.Name.CATEGORY, doc.category_ids),
                             (SearchFacet.Name.LANGUAGE, doc.language_ids)):
            facets.extend((entry_id, str(name), value) for value in values)
        if doc.schedule:
            openings.extend((entry_id, start, end) for start, end in doc.schedule["open"])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [SearchEntry._meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_table(SearchEntry)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * (len(fields) + 1))})", rows)
        if facets:
            cursor.executemany(f"INSERT INTO {_table(SearchFacet)} (entry_id, name, value) "
                               f"VALUES (%s, %s, %s)", facets)
        if openings:
            cursor.executemany(f"INSERT INTO {_table(SearchOpening)} (entry_id, starts, ends) "
                               f"VALUES (%s, %s, %s)", openings)
        if connection.vendor == "sqlite":
            SqliteBackend.write(cursor, [
                (entry_id, fts_text(doc.name_text, doc.language),
                 fts_text(doc.body_text, doc.language), filter_terms(doc))
                for entry_id, (_item, doc) in zip(ids, pairs, strict=True)])
    return len(pairs)


def _new_entry_ids(count):
    """`count` unused entry ids: from PostgreSQL's sequence, or past SQLite's largest (a
    writer holds SQLite's only write lock, so nobody else takes them meanwhile)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [SearchEntry._meta.db_table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {_table(SearchEntry)}")
        first = (cursor.fetchone()[0] or 0) + 1
        return list(range(first, first + count))


def with_schedules(queryset):
    """Records with their weekly hours from the index as `schedule`, in the same query.

    Only the kinds with hours get the column; the others are returned as they are.
    """
    if queryset.model not in (Organization, Hotline, Service):
        return queryset
    return queryset.annotate(schedule=Subquery(SearchEntry.objects.filter(
        source=queryset.model._meta.label_lower, object_id=OuterRef("pk"),
        language=settings.LANGUAGE_CODE,
    ).values("hours")[:1]))
