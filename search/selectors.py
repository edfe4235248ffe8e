"""One search for the whole portal: the results page, the header box, lists' `q` and the API.

Full-text first (PostgreSQL: `websearch_to_tsquery` over the generated tsvector, ranked by
`ts_rank_cd` with titles weighted A over bodies B; SQLite: FTS5 over Snowball stems, ranked
by bm25 with titles weighted 10 to 1). When nothing matches, names and codes are tried by
trigram similarity so a typo ("Jaliso") still finds Jalisco. A search costs the same three
queries or fewer whatever the data: counts per kind, the page of hits (with their snippets),
and the typo fallback only when full-text found nothing.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from django.core import signing
from django.db import connection
from django.db.models import F, FloatField, Model, Q, QuerySet
from django.db.models.expressions import Combinable, Expression, OrderBy, RawSQL
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import EntryKind
from .text import (
    MARK_END,
    MARK_START,
    Group,
    clean_query,
    fts5_expression,
    highlight,
    parse,
    plain_words,
)

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType
    from django.utils.safestring import SafeString
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 20
# pg_trgm's default `word_similarity_threshold`; SQLite's stand-in uses the same figure.
TYPO_THRESHOLD = 0.6
TYPO_MAX_WORDS = 2
CURSOR_SALT = "search.cursor"
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=30, MinWords=12,'
    ' MaxFragments=2, FragmentDelimiter=" … "'
)
CONFIG = {"es": "es_unaccent", "en": "en_unaccent"}
ENTRY_FIELDS = "e.id, e.kind, e.object_id, e.code, e.title, e.title_en, e.parent_id, e.date"


class BadCursor(ValueError):
    """A `cursor` that this search did not hand out."""


@dataclass(frozen=True)
class Hit:
    """One result: what it is, where it lives, how well it matched and the words around."""

    id: int
    kind: str
    object_id: int
    code: str
    title: str
    title_en: str
    parent_id: int | None
    date: datetime.date | None
    rank: float
    snippet_text: str

    @property
    def kind_order(self) -> int:
        """The kind's place in the page's grouping (the order of EntryKind)."""
        return EntryKind.values.index(self.kind)

    @property
    def kind_label(self) -> StrOrPromise:
        return EntryKind(self.kind).label

    @property
    def heading(self) -> str:
        """The result's title as a reader would name it."""
        if self.kind == EntryKind.PROGRESS_REPORT:
            when = date_format(self.date, "DATE_FORMAT") if self.date else ""
            return _("Informe de avance del %(date)s") % {"date": when}
        if self.title_en and current_language() == "en":
            return Truncator(self.title_en).chars(200)
        return Truncator(self.title).chars(200) or self.code

    @property
    def url(self) -> str | None:
        code, pk, parent = self.code, self.object_id, self.parent_id
        if self.kind == EntryKind.COMMITMENT:
            return reverse("commitments:commitment_detail", args=[code])
        if self.kind == EntryKind.MILESTONE:
            return reverse("commitments:commitment_detail", args=[code]) + "#titulo-hitos"
        if self.kind in (EntryKind.PROGRESS_REPORT, EntryKind.EVIDENCE):
            return reverse("commitments:commitment_detail", args=[code])
        if self.kind == EntryKind.MEETING:
            return reverse("coordination:meeting_detail", args=[pk])
        if self.kind == EntryKind.AGREEMENT:
            return reverse("coordination:meeting_detail", args=[parent])
        if self.kind == EntryKind.ACTION_PLAN:
            return reverse("commitments:action_plan_detail", args=[pk])
        return None  # institutions have no page of their own

    @property
    def snippet(self) -> SafeString:
        """The snippet as safe HTML: the text escaped, only the matched words in <mark>."""
        escaped = escape(self.snippet_text)
        return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))

    @property
    def snippet_plain(self) -> str:
        return self.snippet_text.replace(MARK_START, "").replace(MARK_END, "")


@dataclass
class Results:
    query: str
    language: str
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    next_cursor: str | None = None
    typo_fallback: bool = False
    searchable: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def groups(self) -> list[tuple[str, StrOrPromise, int]]:
        """Kinds in display order with their counts, zero-count kinds left out."""
        return [
            (kind, label, self.counts[kind])
            for kind, label in EntryKind.choices
            if kind in self.counts
        ]


@dataclass(frozen=True)
class _Filters:
    kinds: tuple[str, ...] = ()
    plan: int | None = None
    state: int | None = None
    cycle: int | None = None

    def kinds_sql(self) -> tuple[str, list[str]]:
        if not self.kinds:
            return "", []
        return " AND kind IN (" + ", ".join(["%s"] * len(self.kinds)) + ")", list(self.kinds)

    def sql(self, *, with_kinds: bool) -> tuple[str, list[str | int]]:
        clauses: list[str] = []
        params: list[str | int] = []
        if with_kinds and self.kinds:
            clauses.append("e.kind IN (" + ", ".join(["%s"] * len(self.kinds)) + ")")
            params.extend(self.kinds)
        for column, value in (
            ("plan_id", self.plan),
            ("state_id", self.state),
            ("cycle_year", self.cycle),
        ):
            if value is not None:
                clauses.append(f"e.{column} = %s")
                params.append(value)
        return "".join(f" AND {clause}" for clause in clauses), params


# Where a page ended: the mode ("fts" or "typo"), the last hit's rank and id.
type _After = tuple[str, float, int]
# A row of a raw query: its columns' types are the driver's (DB-API).
type _Row = tuple[Any, ...]
type _Param = str | int | float | None


def _encode_cursor(mode: str, hit: Hit) -> str:
    return signing.dumps([mode, hit.rank, hit.id], salt=CURSOR_SALT, compress=False)


def _decode_cursor(cursor: str) -> _After:
    try:
        mode, rank, entry_id = signing.loads(cursor, salt=CURSOR_SALT)
        return str(mode), float(rank), int(entry_id)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BadCursor(cursor) from error


def search(
    query: str,
    *,
    kinds: Iterable[str] = (),
    plan: int | None = None,
    state: int | None = None,
    cycle: int | None = None,
    cursor: str | None = None,
    language: str = "es",
    limit: int = PAGE_SIZE,
) -> Results:
    """Ranked entries matching `query`, a page at a time, with counts per kind.

    `kinds` narrows the hits (the counts always cover every kind so a reader can switch);
    `plan`, `state` (ids) and `cycle` (year) narrow both. Raises BadCursor for a forged cursor.
    """
    language = "en" if language == "en" else "es"
    query = clean_query(query)
    results = Results(query=query, language=language)
    groups = parse(query, language)
    if not groups:
        return results  # nothing to look for: no stem survived (empty, stop words, symbols)
    results.searchable = True
    after = _decode_cursor(cursor) if cursor else None
    filters = _Filters(tuple(k for k in kinds if k in EntryKind.values), plan, state, cycle)
    backend: _Backend = (
        _Postgres(query, language)
        if connection.vendor == "postgresql"
        else _Sqlite(groups, language)
    )

    words = typo_words(query, groups)
    typos_allowed = bool(words)
    mode = after[0] if after else "fts"
    if mode not in ("fts", "typo") or (mode == "typo" and not typos_allowed):
        raise BadCursor(cursor)
    counts: dict[str, int] = {}
    hits: list[Hit] = []
    if mode == "fts":
        counts, hits = backend.full_text(filters, after, limit + 1)
        if not counts and typos_allowed and not after:
            mode = "typo"
    if mode == "typo":
        counts = backend.typo_counts(words, filters)
        hits = backend.typo_hits(words, filters, after, limit + 1) if counts else []
    results.counts = counts
    results.typo_fallback = mode == "typo"
    if len(hits) > limit:
        hits = hits[:limit]
        results.next_cursor = _encode_cursor(mode, hits[-1])
    results.hits = hits
    return results


def typo_words(query: str, groups: Sequence[Group]) -> str:
    """The words a typo fallback looks for, or "" when typos are not forgiven.

    Typos are forgiven in a name or code of one or two plain words: a phrase, an exclusion
    or `or` means exactly, and longer text is a sentence, not a name.
    """
    if len(groups) != 1 or groups[0].excluded or '"' in query:
        return ""
    words = plain_words(query)
    return words if words and len(words.split()) <= TYPO_MAX_WORDS else ""


def current_language() -> Literal["en", "es"]:
    """English pages search English stems; every other page Spanish ones."""
    return "en" if (get_language() or "").startswith("en") else "es"


def matching(query: str, kind: str, *, language: str | None = None) -> RawSQL | None:
    """A subquery of the ids of `kind` whose text matches `query` (full-text only, unranked,
    for a caller that keeps its own order; lists' `q` and the API's `search` use
    `ranked_by_search`); None when the query has no word to look for."""
    language = language or current_language()
    query = clean_query(query)
    groups = parse(query, language)
    if not groups:
        return None
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611
            f"SELECT e.object_id FROM search_searchentry e WHERE e.kind = %s"  # noqa: S608 (constants; values are parameters)
            f" AND e.document_{language} @@ websearch_to_tsquery(%s::regconfig, %s)",
            [kind, CONFIG[language], query],
        )
    return RawSQL(
        "SELECT e.object_id FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid"
        " WHERE search_fts MATCH %s AND e.kind = %s",
        [_Sqlite(groups, language).match, kind],
    )


class _RowScore(Expression):
    """A scalar subquery over the index, correlated with the listed row's primary key:
    `before` + the row's pk column + `after` (SQL with their parameters)."""

    def __init__(
        self,
        before: str,
        before_params: Iterable[str],
        after: str = "",
        after_params: Iterable[str] = (),
    ) -> None:
        super().__init__(output_field=FloatField())
        self.before, self.before_params = before, list(before_params)
        self.after, self.after_params = after, list(after_params)
        self.key: Combinable = F("pk")

    def get_source_expressions(self) -> list[Combinable]:
        return [self.key]

    def set_source_expressions(self, exprs: Sequence[Combinable]) -> None:
        (self.key,) = exprs

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _AsSqlType:
        # By now the F("pk") is resolved to the row's primary-key column.
        key_sql, key_params = compiler.compile(self.key)  # type: ignore[arg-type]  # see above
        return (
            f"({self.before}{key_sql}{self.after})",
            (*self.before_params, *key_params, *self.after_params),
        )


@dataclass(frozen=True)
class ListSearch:
    """What a list needs from the search for its `q` or `search`: the rows to keep
    (`condition`, to OR with the list's own lookups) and the order of best match first
    (`ordering`, to put before the list's own order when no ordering was asked for)."""

    condition: Q
    ordering: tuple[OrderBy, ...]
    typos_allowed: bool


def for_list(query: str, kind: str, *, language: str | None = None) -> ListSearch | None:
    """The list's side of the portal search over one `kind`, ranked, with /buscar/'s typo
    fallback: when full-text finds no entry of the kind, one or two words are looked up by
    trigram similarity in its names and codes. No query of its own: the list's query holds
    everything as subqueries (the fallback's "found nothing" is decided over the whole kind,
    not the list's other filters). None when the query has no word to look for."""
    language = language or current_language()
    query = clean_query(query)
    groups = parse(query, language)
    if not groups:
        return None
    words = typo_words(query, groups)
    if connection.vendor == "postgresql":
        document, config = f"e.document_{language}", CONFIG[language]
        tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
        ts_params = [config, query]
        full_text = RawSQL(  # noqa: S611
            f"SELECT e.object_id FROM search_searchentry e WHERE e.kind = %s"  # noqa: S608 (constants; values are parameters)
            f" AND {document} @@ {tsquery}",
            [kind, *ts_params],
        )
        rank = _RowScore(
            f"SELECT ts_rank_cd({document}, {tsquery}, 1)::float8 FROM search_searchentry e"  # noqa: S608 (constants; values are parameters)
            " WHERE e.kind = %s AND e.object_id = ",
            [*ts_params, kind],
            f" AND {document} @@ {tsquery}",
            ts_params,
        )
        # Counted, not NOT EXISTS: hoping to stop at a first row, the planner would read the
        # whole table instead of intersecting the kind's and the words' indexes.
        nothing_found = (
            f"(SELECT count(*) FROM search_searchentry f WHERE f.kind = %s"  # noqa: S608
            f" AND f.document_{language} @@ {tsquery}) = 0"
        )
        typo_match = "%s <%% e.label_plain"
        typo_params: list[str | float] = [words]
        similarity = "word_similarity(%s, e.label_plain)::float8"
    else:
        match = _Sqlite(groups, language).match
        full_text = RawSQL(  # noqa: S611
            "SELECT e.object_id FROM search_fts JOIN search_searchentry e"
            " ON e.id = search_fts.rowid WHERE search_fts MATCH %s AND e.kind = %s",
            [match, kind],
        )
        # CROSS JOIN keeps SQLite from running the full-text query once per listed row: it
        # finds the row's entry first, then asks FTS5 about that one document.
        rank = _RowScore(
            "SELECT -bm25(search_fts, 10.0, 1.0, 10.0, 1.0) FROM search_searchentry e"
            " CROSS JOIN search_fts ON search_fts.rowid = e.id"
            " WHERE search_fts MATCH %s AND e.kind = %s AND e.object_id = ",
            [match, kind],
        )
        ts_params = [match]
        nothing_found = (
            "NOT EXISTS (SELECT 1 FROM search_fts JOIN search_searchentry f"
            " ON f.id = search_fts.rowid WHERE f.kind = %s AND search_fts MATCH %s)"
        )
        label = "e.code || ' ' || substr(e.title, 1, 300)"
        typo_match = f"search_word_similarity(%s, {label}) >= %s"
        typo_params = [words, TYPO_THRESHOLD]
        similarity = f"search_word_similarity(%s, {label})"
    condition = Q(pk__in=full_text)
    ordering: tuple[OrderBy, ...] = (rank.desc(nulls_last=True),)
    if words:
        # Planned on its own (a CTE), the lookup intersects the kind's and the trigram
        # indexes; inlined in the list's query, PostgreSQL would read the whole table.
        typo = RawSQL(  # noqa: S611
            "WITH t AS MATERIALIZED (SELECT e.object_id FROM search_searchentry e"  # noqa: S608 (constants; values are parameters)
            f" WHERE e.kind = %s AND {typo_match}) SELECT object_id FROM t WHERE {nothing_found}",
            [kind, *typo_params, kind, *ts_params],
        )
        condition |= Q(pk__in=typo)
        # Computed only when the fallback is on (the condition is evaluated once per query).
        similar = _RowScore(
            f"CASE WHEN {nothing_found} THEN (SELECT {similarity} FROM search_searchentry e"  # noqa: S608
            " WHERE e.kind = %s AND e.object_id = ",
            [kind, *ts_params, words, kind],
            ") END",
        )
        ordering += (similar.desc(nulls_last=True),)
    return ListSearch(condition, ordering, bool(words))


def ranked_by_search[M: Model](
    queryset: QuerySet[M],
    query: str,
    kind: str,
    *,
    own_lookups: Iterable[str] = (),
    reorder: bool = True,
) -> QuerySet[M]:
    """`queryset` narrowed to rows whose `own_lookups` contain `query` (icontains) or that
    the portal search finds, best match first unless `reorder` is False (an ordering was
    asked for) or the query has no word to look for. The list's own order breaks ties."""
    condition = Q()
    for lookup in own_lookups:
        condition |= Q(**{f"{lookup}__icontains": query})
    found = for_list(query, kind)
    if found is None:
        return queryset.filter(condition)
    queryset = queryset.filter(condition | found.condition)
    if not reorder:
        return queryset
    own_order = list(queryset.query.order_by or queryset.model._meta.ordering or ())
    return queryset.order_by(*found.ordering, *own_order, "pk")


def _after_sql(after: _After | None, prefix: str = " WHERE") -> tuple[str, list[float | int]]:
    if not after:
        return "", []
    _mode, rank, entry_id = after
    return f"{prefix} (rank < %s OR (rank = %s AND id > %s))", [rank, rank, entry_id]


def _fetch(sql: str, params: Sequence[_Param]) -> list[_Row]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[_Row] = cursor.fetchall()
        return rows


# A common word matches a tenth of the index; the planner then prefers reading the whole
# table, evaluating @@ row by row, which is 3-4x slower than the GIN bitmap scan. Outside a
# transaction the hint is scoped to the one implicit transaction of the statement string.
PREFER_INDEX = "SET LOCAL enable_seqscan = off; "


def _fetch_with_index(sql: str, params: Sequence[_Param]) -> list[_Row]:
    prefix = "" if connection.in_atomic_block else PREFER_INDEX
    return _fetch(prefix + sql, params)


def _hit(row: _Row, rank: float, snippet_text: str) -> Hit:
    """A hit from a row that starts with ENTRY_FIELDS."""
    entry_id, kind, object_id, code, title, title_en, parent_id, date = row[:8]
    return Hit(
        entry_id, kind, object_id, code, title, title_en, parent_id, date, rank, snippet_text
    )


class _Backend(Protocol):
    def full_text(
        self, filters: _Filters, after: _After | None, limit: int
    ) -> tuple[dict[str, int], list[Hit]]: ...

    def typo_counts(self, words: str, filters: _Filters) -> dict[str, int]: ...

    def typo_hits(
        self, words: str, filters: _Filters, after: _After | None, limit: int
    ) -> list[Hit]: ...


class _Postgres:
    def __init__(self, query: str, language: str) -> None:
        self.query = query
        self.config = CONFIG[language]
        self.document = f"e.document_{language}"

    def full_text(
        self, filters: _Filters, after: _After | None, limit: int
    ) -> tuple[dict[str, int], list[Hit]]:
        """Counts per kind and the page of hits in one statement: the matches are found and
        ranked once; ts_headline reads the whole text, so only the page's rows get one."""
        where, params = filters.sql(with_kinds=False)
        kinds_where, kinds_params = filters.kinds_sql()
        after_where, after_params = _after_sql(after, prefix=" AND")
        sql = (
            "WITH q AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS query),"  # noqa: S608 (constants; values are parameters)
            " m AS MATERIALIZED ("
            f"  SELECT e.id, e.kind, ts_rank_cd({self.document}, q.query, 1)::float8 AS rank"
            f"  FROM search_searchentry e, q WHERE {self.document} @@ q.query{where}),"
            " c AS (SELECT json_object_agg(kind, n) AS counts"
            "  FROM (SELECT kind, count(*) AS n FROM m GROUP BY kind) k),"
            " p AS (SELECT id, rank FROM m"
            f"  WHERE TRUE{kinds_where}{after_where} ORDER BY rank DESC, id LIMIT %s)"
            f" SELECT c.counts, {ENTRY_FIELDS}, p.rank, ts_headline(%s::regconfig,"
            "  replace(replace(e.body, %s, ''), %s, ''), q.query, %s)"
            " FROM c CROSS JOIN q"
            " LEFT JOIN (p JOIN search_searchentry e ON e.id = p.id) ON TRUE"
            " ORDER BY p.rank DESC, p.id"
        )
        rows = _fetch_with_index(
            sql,
            [self.config, self.query, *params, *kinds_params, *after_params, limit]
            + [self.config, MARK_START, MARK_END, HEADLINE_OPTIONS],
        )
        raw = (rows[0][0] if rows else None) or {}
        counts: dict[str, int] = json.loads(raw) if isinstance(raw, str) else raw
        hits = [_hit(row[1:], row[9], row[10]) for row in rows if row[1] is not None]
        return counts, hits

    def typo_counts(self, words: str, filters: _Filters) -> dict[str, int]:
        where, params = filters.sql(with_kinds=False)
        rows = _fetch(
            f"SELECT e.kind, count(*) FROM search_searchentry e WHERE %s <%% e.label_plain{where}"  # noqa: S608 (constants; values are parameters)
            " GROUP BY e.kind",
            [words, *params],
        )
        return dict(rows)

    def typo_hits(
        self, words: str, filters: _Filters, after: _After | None, limit: int
    ) -> list[Hit]:
        where, params = filters.sql(with_kinds=True)
        after_where, after_params = _after_sql(after)
        rows = _fetch(
            f"SELECT * FROM (SELECT {ENTRY_FIELDS}, word_similarity(%s, e.label_plain) AS rank"  # noqa: S608 (constants; values are parameters)
            f" FROM search_searchentry e WHERE %s <%% e.label_plain{where}) ranked{after_where}"
            " ORDER BY rank DESC, id LIMIT %s",
            [words, words, *params, *after_params, limit],
        )
        return [_hit(row, row[8], "") for row in rows]


class _Sqlite:
    def __init__(self, groups: Sequence[Group], language: str) -> None:
        self.groups = groups
        self.language = language
        columns = "title_es body_es" if language == "es" else "title_en body_en"
        self.match = "{" + columns + "} : (" + fts5_expression(groups) + ")"

    def full_text(
        self, filters: _Filters, after: _After | None, limit: int
    ) -> tuple[dict[str, int], list[Hit]]:
        counts = self.counts(filters)
        return counts, (self.hits(filters, after, limit) if counts else [])

    def counts(self, filters: _Filters) -> dict[str, int]:
        where, params = filters.sql(with_kinds=False)
        rows = _fetch(
            "SELECT e.kind, count(*) FROM search_fts JOIN search_searchentry e"  # noqa: S608 (constants; values are parameters)
            f" ON e.id = search_fts.rowid WHERE search_fts MATCH %s{where} GROUP BY e.kind",
            [self.match, *params],
        )
        return dict(rows)

    def hits(self, filters: _Filters, after: _After | None, limit: int) -> list[Hit]:
        where, params = filters.sql(with_kinds=True)
        after_where, after_params = _after_sql(after)
        rows = _fetch(
            f"SELECT * FROM (SELECT {ENTRY_FIELDS}, e.body,"  # noqa: S608 (constants; values are parameters)
            "  -bm25(search_fts, 10.0, 1.0, 10.0, 1.0) AS rank"
            "  FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid"
            f"  WHERE search_fts MATCH %s{where}) ranked{after_where}"
            " ORDER BY rank DESC, id LIMIT %s",
            [self.match, *params, *after_params, limit],
        )
        return [
            _hit(row, row[9], highlight(row[8], self.groups, self.language) if row[8] else "")
            for row in rows
        ]

    def typo_counts(self, words: str, filters: _Filters) -> dict[str, int]:
        where, params = filters.sql(with_kinds=False)
        rows = _fetch(
            "SELECT e.kind, count(*) FROM search_searchentry e"  # noqa: S608 (constants; values are parameters)
            " WHERE search_word_similarity(%s, e.code || ' ' || substr(e.title, 1, 300)) >= %s"
            f"{where} GROUP BY e.kind",
            [words, TYPO_THRESHOLD, *params],
        )
        return dict(rows)

    def typo_hits(
        self, words: str, filters: _Filters, after: _After | None, limit: int
    ) -> list[Hit]:
        where, params = filters.sql(with_kinds=True)
        after_where, after_params = _after_sql(after)
        rows = _fetch(
            f"SELECT * FROM (SELECT {ENTRY_FIELDS},"  # noqa: S608 (constants; values are parameters)
            "  search_word_similarity(%s, e.code || ' ' || substr(e.title, 1, 300)) AS rank"
            f"  FROM search_searchentry e WHERE 1 = 1{where}) ranked"
            f"{after_where.replace(' WHERE ', ' WHERE rank >= %s AND ') or ' WHERE rank >= %s'}"
            " ORDER BY rank DESC, id LIMIT %s",
            [words, *params, TYPO_THRESHOLD, *after_params, limit],
        )
        return [_hit(row, row[8], "") for row in rows]
