"""Searching the portal in Spanish as people type: without accents, in plural, with typos.

The same stories run on SQLite (FTS5 over Snowball stems) and on PostgreSQL (es_unaccent
text search configuration, ts_rank_cd, pg_trgm): the same results in the same order.
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from commitments.models import Commitment, Milestone
from coordination.models import AgendaItem
from search import selectors
from search.models import SearchEntry
from tests.factories import (
    ActionPlanFactory,
    AgendaItemFactory,
    AgreementFactory,
    CommitmentFactory,
    InstitutionFactory,
    MeetingFactory,
    MilestoneFactory,
    ProgressReportFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    """A small Spanish portal: a national plan, Jalisco's local plan and what hangs from them."""
    national = ActionPlanFactory(cycle_year=2041, title="Cuarto Plan de Acción Nacional")
    jalisco = StateFactory(inegi_code="14", short_name="Jalisco", slug="jalisco")
    local = StateActionPlanFactory(
        state=jalisco, cycle_year=2042, title="Plan de Acción Local de Jalisco"
    )
    world = {
        "national": national,
        "jalisco": jalisco,
        "local": local,
        "participation": CommitmentFactory(
            code="MX0101",
            action_plan=national,
            title_es="Participación ciudadana en el presupuesto",
            title_en="Citizen participation in the budget",
            description="Mecanismos para que la ciudadanía decida sobre el gasto público.",
        ),
        "contracts": CommitmentFactory(
            code="MX0102",
            action_plan=national,
            title_es="Transparencia en contrataciones",
            title_en="Transparency in procurement",
            description="Publicar los contratos con participación de organizaciones civiles.",
        ),
        "children": CommitmentFactory(
            code="MX0103",
            action_plan=national,
            title_es="Niñas y niños en la agenda pública",
            title_en="Girls and boys on the public agenda",
            description="Consulta infantil sobre derechos.",
        ),
        "budgets": CommitmentFactory(
            code="JAL0001",
            action_plan=local,
            title_es="Presupuestos abiertos municipales",
            title_en="Open municipal budgets",
            description="Datos del gasto en agua potable de cada municipio.",
        ),
    }
    world["milestone"] = MilestoneFactory(
        commitment=world["contracts"],
        title="Publicar el padrón de proveedores",
        narrative="Se publicó en datos abiertos.",
    )
    world["report"] = ProgressReportFactory(
        commitment=world["children"],
        date=datetime.date(2041, 6, 1),
        summary="Se realizaron talleres de contraloría social en escuelas.",
    )
    world["meeting"] = MeetingFactory(title="Sesión ordinaria del Secretariado Técnico")
    AgendaItemFactory(meeting=world["meeting"], title="Revisión del compromiso sobre el agua")
    world["agreement"] = AgreementFactory(
        meeting=world["meeting"], text="Elaborar un calendario de consultas sobre justicia abierta"
    )
    world["inai"] = InstitutionFactory(
        name="Instituto Nacional de Transparencia y Acceso a la Información", acronym="INAI"
    )
    return world


def found(query, **kwargs):
    """(kind, object_id) of the hits, in rank order."""
    return [(hit.kind, hit.object_id) for hit in selectors.search(query, **kwargs).hits]


def commitments_found(query, **kwargs):
    return [hit.code for hit in selectors.search(query, kinds=("commitment",), **kwargs).hits]


def test_words_without_accents_find_accented_text_titles_first(corpus):
    # "participacion" is in MX0101's title and only in MX0102's description.
    assert commitments_found("participacion") == ["MX0101", "MX0102"]
    assert commitments_found("PARTICIPACIÓN") == ["MX0101", "MX0102"]


def test_enye_and_gender_endings_match_in_either_spelling(corpus):
    assert commitments_found("ninas") == ["MX0103"]
    assert commitments_found("niño") == ["MX0103"]


def test_singular_finds_plural_and_plural_finds_singular(corpus):
    assert set(commitments_found("presupuesto")) == {"MX0101", "JAL0001"}
    assert set(commitments_found("presupuestos")) == {"MX0101", "JAL0001"}


def test_stop_words_neither_help_nor_hurt(corpus):
    assert commitments_found("el presupuesto de la") == commitments_found("presupuesto")
    only_stop_words = selectors.search("de la el y")
    assert only_stop_words.hits == [] and not only_stop_words.searchable


def test_a_quoted_phrase_needs_its_words_together(corpus):
    assert commitments_found('"participación ciudadana"') == ["MX0101"]
    assert commitments_found('"ciudadana participación"') == []


def test_minus_excludes_and_or_widens(corpus):
    assert commitments_found("presupuesto -municipales") == ["MX0101"]
    assert set(commitments_found("infantil or agua")) == {"MX0103", "JAL0001"}


def test_one_search_covers_every_kind_of_thing(corpus):
    assert found("proveedores") == [("milestone", corpus["milestone"].pk)]
    assert found("contraloria") == [("progress_report", corpus["report"].pk)]
    assert found("justicia") == [("agreement", corpus["agreement"].pk)]
    assert found("INAI") == [("institution", corpus["inai"].pk)]
    # The agenda's words find the meeting; "agua" also names a commitment's description.
    assert ("meeting", corpus["meeting"].pk) in found("agua")
    assert found("secretariado") == [("meeting", corpus["meeting"].pk)]


def test_codes_are_found_exactly(corpus):
    assert commitments_found("MX0103") == ["MX0103"]
    assert commitments_found("jal0001") == ["JAL0001"]


def test_a_typo_in_a_name_still_finds_it(corpus):
    results = selectors.search("Jaliso")
    assert results.typo_fallback
    assert ("action_plan", corpus["local"].pk) in [(h.kind, h.object_id) for h in results.hits]
    assert selectors.search("Transparensia").typo_fallback
    assert "MX0102" in [hit.code for hit in selectors.search("Transparensia").hits]


def test_counts_cover_every_kind_and_filters_narrow_them(corpus):
    results = selectors.search("presupuesto or agua or justicia")
    assert results.counts == {"commitment": 2, "meeting": 1, "agreement": 1}
    assert commitments_found("presupuesto", plan=corpus["local"].pk) == ["JAL0001"]
    assert commitments_found("presupuesto", state=corpus["jalisco"].pk) == ["JAL0001"]
    assert commitments_found("presupuesto", cycle=2041) == ["MX0101"]
    only_agreements = selectors.search("agua or justicia", kinds=("agreement",))
    assert [hit.kind for hit in only_agreements.hits] == ["agreement"]
    assert only_agreements.counts == {"commitment": 1, "meeting": 1, "agreement": 1}


def test_english_pages_search_english_stems(corpus):
    assert set(commitments_found("budgeting", language="en")) == {"MX0101", "JAL0001"}
    assert commitments_found("budgeting", language="es") == []


def test_writes_of_any_kind_reach_the_index_at_once(corpus):
    commitment = corpus["children"]
    commitment.title_es = "Derechos de la infancia"
    commitment.save()
    assert commitments_found("infancia") == ["MX0103"]
    assert commitments_found("ninas") == []
    # Bulk writes that skip save() and signals are indexed too (the triggers see them).
    Commitment.objects.filter(pk=commitment.pk).update(title_es="Infancias con voz")
    assert commitments_found("voz") == ["MX0103"]
    Milestone.objects.filter(pk=corpus["milestone"].pk).delete()
    assert found("proveedores") == []
    AgendaItemFactory(meeting=corpus["meeting"], title="Informe de la Comisión de Ética")
    assert found("etica") == [("meeting", corpus["meeting"].pk)]
    assert SearchEntry.objects.filter(kind="commitment").count() == 4


def test_one_statement_of_many_rows_indexes_every_row(corpus):
    # PostgreSQL indexes an INSERT's rows once per statement (search/0003): a multi-row
    # insert, and several agenda items of one meeting, must each reach the index.
    contracts = corpus["contracts"]
    Milestone.objects.bulk_create(
        Milestone(commitment=contracts, position=10 + n, title=f"Licitación {word}")
        for n, word in enumerate(["pública", "electrónica", "consolidada"])
    )
    meeting = MeetingFactory(title="Sesión extraordinaria")
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, title=title)
        for n, title in enumerate(["Lectura del acta", "Cierre de la mesa de vivienda"])
    )

    new = Milestone.objects.filter(title__startswith="Licitación").order_by("position")
    for milestone, word in zip(new, ["publica", "electronica", "consolidada"], strict=True):
        assert found(f"licitacion {word}", kinds=("milestone",)) == [("milestone", milestone.pk)]
    entry = SearchEntry.objects.get(kind="milestone", object_id=new[0].pk)
    assert (entry.code, entry.plan_id, entry.parent_id) == (
        "MX0102",
        contracts.action_plan_id,
        contracts.pk,
    )
    assert found("vivienda") == found("acta", kinds=("meeting",)) == [("meeting", meeting.pk)]
    assert SearchEntry.objects.filter(kind="meeting", object_id=meeting.pk).count() == 1


def test_snippets_mark_the_words_and_escape_the_text(corpus):
    commitment = corpus["participation"]
    commitment.description = (
        "Decidir el gasto con participación <img src=x onerror=alert(1)> & datos."
    )
    commitment.save()
    hit = selectors.search("participacion").hits[0]
    assert "<mark>participación</mark>" in hit.snippet
    assert "<img" not in hit.snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit.snippet
    assert "&amp; datos" in hit.snippet


def test_pages_follow_one_another_without_repeating(corpus):
    for n in range(7):
        CommitmentFactory(action_plan=corpus["national"], title_es=f"Agenda de datos abiertos {n}")
    first = selectors.search("datos", limit=4)
    assert len(first.hits) == 4 and first.next_cursor
    second = selectors.search("datos", limit=4, cursor=first.next_cursor)
    third = selectors.search("datos", limit=4, cursor=second.next_cursor)
    ids = [hit.id for page in (first, second, third) for hit in page.hits]
    assert len(ids) == len(set(ids)) == first.total == 9
    assert third.next_cursor is None
    with pytest.raises(selectors.BadCursor):
        selectors.search("datos", cursor="forged")


def test_results_rank_the_same_on_every_database(corpus):
    # A title (weight A in PostgreSQL, 10 in SQLite's bm25) before descriptions (B, 1);
    # among descriptions the one where the word weighs more (the shorter text) first.
    assert commitments_found("publico or publicar") == ["MX0103", "MX0102", "MX0101"]
    assert commitments_found("contratos or gasto") == ["MX0102", "MX0101", "JAL0001"]


QUERIES_NEVER_FAILING = [
    "",
    "   ",
    "&|!():*'\\",
    "a & b | !c",
    "(participación",
    "participación:*",
    "'; DROP TABLE search_searchentry; --",
    '"unclosed phrase',
    "---",
    "or or or",
    "-participación",
    "\\",
    "\x00participación",
    "NEAR(a b)",
    '"" AND OR NOT',
    "x" * 2000,
    "participación " * 200,
]


@pytest.mark.parametrize("query", QUERIES_NEVER_FAILING)
def test_no_query_raises(corpus, client, query):
    results = selectors.search(query)
    assert isinstance(results.hits, list)
    page = client.get(reverse("search:search"), {"q": query})
    assert page.status_code == 200
    api = client.get(reverse("api:v1:search"), {"q": query})
    assert api.status_code in (200, 400)


def test_the_page_works_without_javascript(corpus, client):
    html = client.get(reverse("search:search"), {"q": "participacion"}).content.decode()
    assert "2 resultados para «participacion»" in html
    # MX0101 has the word in its title, MX0102 in its description, which the snippet shows.
    assert "Publicar los contratos con <mark>participación</mark> de organizaciones" in html
    assert reverse("commitments:commitment_detail", args=["MX0101"]) in html
    assert 'role="search"' in html


def test_the_english_page_searches_and_titles_in_english(corpus, client):
    html = client.get(
        reverse("search:search"), {"q": "budgeting"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "2 results for “budgeting”" in html
    assert "Open municipal budgets" in html


def test_the_header_box_sends_every_page_to_the_search(client, db):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search:search")}"' in html
    assert 'name="q"' in html


def test_the_commitments_list_q_uses_the_search(corpus, client):
    html = client.get(reverse("commitments:commitment_list"), {"q": "participacion"}).content
    assert b"MX0101" in html and b"MX0102" in html and b"MX0103" not in html


def test_the_api_returns_ranked_hits_with_snippets(corpus, client):
    body = client.get(reverse("api:v1:search"), {"q": "participacion"}).json()
    assert [row["code"] for row in body["results"]] == ["MX0101", "MX0102"]
    first, second = body["results"]
    assert first["rank"] > second["rank"]
    assert first["url"] == "http://testserver/compromisos/MX0101/"
    assert "con <mark>participación</mark> de" in second["snippet"]
    assert body["counts"] == {"commitment": 2}
    listed = client.get(reverse("api:v1:commitment-list"), {"search": "presupuestos"}).json()
    assert {row["code"] for row in listed["results"]} == {"MX0101", "JAL0001"}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": "agua", "cursor": "forged"},
        {"q": "agua", "state": "atlantida"},
        {"q": "agua", "plan": str(2**63)},
        {"q": "agua", "type": "comment"},
        {"q": "agua", "cycle": "abc"},
        {"q": "agua", "type": ""},
        {"q": "agua", "state": ""},
    ],
)
def test_the_api_refuses_bad_parameters_with_400(corpus, client, params):
    response = client.get(reverse("api:v1:search"), params)
    assert response.status_code == 400
    assert set(response.json()) <= {"q", "cursor", "state", "plan", "type", "cycle"}


def test_the_page_ignores_a_forged_cursor_and_shows_the_first_page(corpus, client):
    page = client.get(reverse("search:search"), {"q": "participacion", "cursor": "forged"})
    assert page.status_code == 200
    assert "MX0101" in page.content.decode()


@pytest.mark.parametrize("extra", [0, 30])
def test_query_count_does_not_grow_with_the_data(
    corpus, client, extra, django_assert_max_num_queries
):
    for n in range(extra):
        MilestoneFactory(commitment=corpus["participation"], title=f"Presupuesto por etapa {n}")
    with django_assert_max_num_queries(3):
        selectors.search("presupuesto")
    with django_assert_max_num_queries(3):
        selectors.search("presupuestp")  # typo: full-text finds nothing, trigrams do
    # The page adds its three filter lists (plans, states, cycles).
    with django_assert_max_num_queries(5):
        client.get(reverse("search:search"), {"q": "presupuesto", "type": "milestone"})


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers live outside migrate")
def test_sqlite_triggers_come_back_after_migrate_and_the_index_catches_up(corpus):
    from search import schema

    schema.drop_sqlite_triggers(sender=None)
    CommitmentFactory(action_plan=corpus["national"], title_es="Gobierno abierto en océanos")
    assert commitments_found("oceanos") == []
    schema.ensure_sqlite_triggers(sender=None)
    assert len(commitments_found("oceanos")) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_index_hint_lasts_one_statement(corpus):
    assert not connection.in_atomic_block
    assert commitments_found("participacion") == ["MX0101", "MX0102"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


def test_index_table_is_complete_after_rebuild(corpus):
    import io

    from django.core.management import call_command

    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "title"))
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "title")) == before
    assert commitments_found("participacion") == ["MX0101", "MX0102"]
    assert connection.vendor in ("sqlite", "postgresql")
