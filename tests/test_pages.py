"""The public pages: what each one shows, its filters, its 404s and its query budget."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    CoordinationSpaceFactory,
    InstitutionFactory,
    MeetingFactory,
    MilestoneFactory,
    PolicyAreaFactory,
    SdgTargetFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def make_commitments(count, *, plan=None, areas=2):
    """`count` commitments in one plan, each with its own policy areas and two milestones."""
    plan = plan or ActionPlanFactory()
    commitments = []
    for _ in range(count):
        commitment = CommitmentFactory(action_plan=plan)
        commitment.policy_areas.set(PolicyAreaFactory.create_batch(areas))
        commitment.lead_institutions.add(InstitutionFactory())
        MilestoneFactory.create_batch(2, commitment=commitment)
        commitments.append(commitment)
    return plan, commitments


# --- Home -------------------------------------------------------------------


def test_home_shows_the_portal_purpose_and_counts(client):
    plan, _ = make_commitments(3)
    StateActionPlanFactory(state=StateFactory(inegi_code="09"))
    for code in ("01", "02"):
        StateFactory(inegi_code=code)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Articular las agendas de gobierno abierto federal y estatales" in html
    assert response.context["counts"] == {
        "national_plans": 1,
        "commitments": 3,
        "states": 3,
        "milestones": 6,
    }
    assert plan.title in html
    assert "3 compromisos" in html
    assert reverse("commitments:commitment_list") in html


def test_home_lists_only_national_plans(client):
    national = ActionPlanFactory(title="Plan nacional de prueba")
    StateActionPlanFactory(title="Plan local de prueba")

    html = client.get(reverse("home")).content.decode()

    assert national.title in html
    assert "Plan local de prueba" not in html


# --- Action plans -------------------------------------------------------------


def test_action_plan_list_shows_cycle_period_status_and_commitment_count(client):
    plan, _ = make_commitments(4)
    ActionPlanFactory(title="Plan sin compromisos")

    response = client.get(reverse("commitments:action_plan_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert plan.title in html
    assert str(plan.cycle_year) in html
    assert "En implementación" in html
    counts = {p.title: p.commitment_count for p in response.context["action_plans"]}
    assert counts == {plan.title: 4, "Plan sin compromisos": 0}


def test_action_plan_detail_lists_its_commitments_with_policy_areas(client):
    plan, commitments = make_commitments(2)
    other = CommitmentFactory(title_es="De otro plan")

    response = client.get(plan.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for commitment in commitments:
        assert commitment.code in html
        assert commitment.title_es in html
        for area in commitment.policy_areas.all():
            assert area.name_es in html
    assert other.code not in html


def test_action_plan_detail_is_404_for_a_missing_plan(client):
    response = client.get(reverse("commitments:action_plan_detail", args=[999999]))

    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


# --- Commitments list ---------------------------------------------------------


def test_commitment_list_shows_code_title_cycle_and_policy_areas(client):
    plan, (commitment,) = make_commitments(1)

    response = client.get(reverse("commitments:commitment_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert commitment.code in html
    assert commitment.title_es in html
    assert str(plan.cycle_year) in html
    assert commitment.policy_areas.first().name_es in html


def test_commitment_list_filters_by_cycle(client):
    old = CommitmentFactory(action_plan=ActionPlanFactory(cycle_year=2016))
    new = CommitmentFactory(action_plan=ActionPlanFactory(cycle_year=2019))

    response = client.get(reverse("commitments:commitment_list"), {"cycle": "2019"})

    assert list(response.context["commitments"]) == [new]
    assert old.code not in response.content.decode()


def test_commitment_list_filters_by_policy_area_slug(client):
    transparency = PolicyAreaFactory(slug="transparencia")
    tagged = CommitmentFactory()
    tagged.policy_areas.add(transparency, PolicyAreaFactory())
    untagged = CommitmentFactory()
    untagged.policy_areas.add(PolicyAreaFactory())

    response = client.get(reverse("commitments:commitment_list"), {"area": "transparencia"})

    assert list(response.context["commitments"]) == [tagged]


@pytest.mark.parametrize("query", ["mx00", "MX00", "MX0087"])
def test_commitment_list_searches_by_code_case_insensitively(client, query):
    wanted = CommitmentFactory(code="MX0087")
    CommitmentFactory(code="CH0001")

    response = client.get(reverse("commitments:commitment_list"), {"q": query})

    assert list(response.context["commitments"]) == [wanted]


def test_commitment_list_searches_spanish_and_english_titles(client):
    spanish = CommitmentFactory(title_es="Espacio de coordinación nacional", title_en="")
    english = CommitmentFactory(title_es="", title_en="Open contracting for states")
    CommitmentFactory(title_es="Otro tema", title_en="Another topic")
    url = reverse("commitments:commitment_list")

    assert list(client.get(url, {"q": "ESPACIO DE coord"}).context["commitments"]) == [spanish]
    assert list(client.get(url, {"q": "contracting"}).context["commitments"]) == [english]


def test_commitment_list_combines_filters(client):
    area = PolicyAreaFactory(slug="datos-abiertos")
    plan_2019 = ActionPlanFactory(cycle_year=2019)
    match = CommitmentFactory(action_plan=plan_2019, title_es="Datos abiertos municipales")
    match.policy_areas.add(area)
    wrong_cycle = CommitmentFactory(title_es="Datos abiertos federales")
    wrong_cycle.policy_areas.add(area)
    CommitmentFactory(action_plan=plan_2019, title_es="Datos de salud")

    response = client.get(
        reverse("commitments:commitment_list"),
        {"cycle": "2019", "area": "datos-abiertos", "q": "datos"},
    )

    assert list(response.context["commitments"]) == [match]


def test_invalid_cycle_shows_a_form_error_instead_of_failing(client):
    CommitmentFactory()

    response = client.get(reverse("commitments:commitment_list"), {"cycle": "abc"})

    assert response.status_code == 200
    assert "cycle" in response.context["form"].errors
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert 'aria-invalid="true"' in html


def test_commitment_list_paginates_by_25_and_keeps_the_filters(client):
    plan, _ = make_commitments(30, areas=0)
    url = reverse("commitments:commitment_list")

    first = client.get(url, {"cycle": plan.cycle_year})
    second = client.get(url, {"cycle": plan.cycle_year, "page": 2})

    assert len(first.context["commitments"]) == 25
    assert len(second.context["commitments"]) == 5
    assert f"?cycle={plan.cycle_year}&amp;page=2" in first.content.decode()
    assert 'aria-current="page"' in second.content.decode()
    assert 'aria-label="Paginación"' in second.content.decode()


def test_commitment_list_out_of_range_page_shows_the_last_page(client):
    make_commitments(3, areas=0)

    response = client.get(reverse("commitments:commitment_list"), {"page": "99"})

    assert response.status_code == 200
    assert len(response.context["commitments"]) == 3


# --- Commitment detail --------------------------------------------------------


def test_commitment_detail_shows_the_full_record(client):
    state = StateFactory(inegi_code="09")
    lead = InstitutionFactory(name="Secretaría de la Función Pública", acronym="SFP")
    support = InstitutionFactory(
        name="Colectivo de prueba", acronym="", kind="civil_society", state=state
    )
    area = PolicyAreaFactory(name_es="Gobierno abierto local", name_en="Local open government")
    target = SdgTargetFactory(code="16.6", description_es="Instituciones eficaces")
    commitment = CommitmentFactory(
        code="MX0087",
        title_es="Estado abierto",
        title_en="Open state",
        description="Primer párrafo.\n\nSegundo párrafo.",
        problem="La desarticulación de agendas.",
        objectives="Articular agendas.",
        ogp_relevance="Participación ciudadana.",
        gender_perspective="Con enfoque de género.",
        development_plan_axis="Eje 1",
        additional_information="<script>alert('x')</script>",
    )
    commitment.lead_institutions.add(lead)
    commitment.support_institutions.add(support)
    commitment.policy_areas.add(area)
    commitment.sdg_targets.add(target)
    MilestoneFactory(commitment=commitment, position=2, title="Segundo hito", weight=3)
    MilestoneFactory(commitment=commitment, position=1, title="Primer hito", status="in_progress")

    response = client.get(reverse("commitments:commitment_detail", args=["MX0087"]))

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "MX0087",
        "Estado abierto",
        "Open state",  # the other-language title
        commitment.action_plan.get_absolute_url(),
        "Secretaría de la Función Pública (SFP)",
        "Gobierno",
        "Colectivo de prueba",
        "Sociedad civil",
        "Gobierno abierto local",
        "16.6",
        "Instituciones eficaces",
        "<p>Primer párrafo.</p>",
        "<p>Segundo párrafo.</p>",
        "La desarticulación de agendas.",
        "Articular agendas.",
        "Participación ciudadana.",
        "Con enfoque de género.",
        "Eje 1",
        "En proceso",
    ]:
        assert text in html, text
    assert html.index("Primer hito") < html.index("Segundo hito")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_commitment_detail_is_404_for_an_unknown_code(client):
    response = client.get(reverse("commitments:commitment_detail", args=["XX9999"]))

    assert response.status_code == 404


def test_commitment_detail_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    _, (commitment,) = make_commitments(1, areas=5)
    MilestoneFactory.create_batch(10, commitment=commitment)

    # 6 for the record, + milestone evidence, progress reports and their evidence,
    # + 2 for the history timeline (tests/commitments/test_timeline.py checks two sizes),
    # + the three views: other official titles, IRM assessments, the plan's IRM reports and
    # their figures, civil society's verdict counts.
    with django_assert_max_num_queries(16):
        client.get(commitment.get_absolute_url())


# --- Language fallback of content ---------------------------------------------


def test_title_falls_back_to_english_when_the_spanish_one_is_blank(client):
    CommitmentFactory(code="MX0100", title_es="", title_en="Only in English")

    list_html = client.get(reverse("commitments:commitment_list")).content.decode()
    detail_html = client.get(
        reverse("commitments:commitment_detail", args=["MX0100"])
    ).content.decode()

    assert "Only in English" in list_html
    assert '<h1 lang="en">Only in English</h1>' in detail_html


def test_title_falls_back_to_spanish_when_the_english_one_is_blank(client):
    CommitmentFactory(code="MX0101", title_es="Solo en español", title_en="")

    client.cookies["django_language"] = "en"
    list_response = client.get(reverse("commitments:commitment_list"))
    detail_html = client.get(
        reverse("commitments:commitment_detail", args=["MX0101"])
    ).content.decode()

    assert "Commitments" in list_response.content.decode()
    assert "Solo en español" in list_response.content.decode()
    assert '<h1 lang="es-MX">Solo en español</h1>' in detail_html


def test_english_readers_see_the_english_title_and_policy_area_names(client):
    commitment = CommitmentFactory(title_es="Título", title_en="Title")
    commitment.policy_areas.add(PolicyAreaFactory(name_es="Salud", name_en="Health"))

    html = client.get(commitment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h1>Title</h1>" in html
    assert "Health" in html
    assert "Spanish title:" in html


# --- States -------------------------------------------------------------------


def test_state_list_shows_inegi_code_name_abbreviation_and_local_plans(client):
    jalisco = StateFactory(
        inegi_code="14", official_name="Jalisco", short_name="Jalisco", abbreviation="Jal."
    )
    StateFactory(inegi_code="01")
    StateActionPlanFactory.create_batch(2, state=jalisco)

    response = client.get(reverse("states:state_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "14" in html
    assert "Jalisco" in html
    assert "Jal." in html
    counts = {s.inegi_code: s.local_plan_count for s in response.context["states"]}
    assert counts == {"01": 0, "14": 2}


# --- Query budgets: the same at two data sizes ----------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_commitment_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, size
):
    make_commitments(size)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("commitments:commitment_list"))
    assert len(response.context["commitments"]) == min(size, 25)


@pytest.mark.parametrize("size", [3, 30])
def test_action_plan_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, size
):
    for _ in range(size):
        make_commitments(1, areas=0)
    StateActionPlanFactory.create_batch(size)

    with django_assert_max_num_queries(1):
        response = client.get(reverse("commitments:action_plan_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_action_plan_detail_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, size
):
    plan, _ = make_commitments(size)

    # The plan, its commitments with their policy areas, the IRM's reports on the plan and
    # their figures.
    with django_assert_max_num_queries(5):
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_state_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, size
):
    for number in range(1, size + 1):
        StateActionPlanFactory(state=StateFactory(inegi_code=f"{number:02d}"))

    with django_assert_max_num_queries(1):
        response = client.get(reverse("states:state_list"))
    assert len(response.context["states"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_home_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, size):
    for _ in range(size):
        make_commitments(1, areas=0)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))
    assert response.status_code == 200


# --- Admin --------------------------------------------------------------------


@pytest.fixture
def some_of_everything():
    plan, (commitment,) = make_commitments(1)
    commitment.sdg_targets.add(SdgTargetFactory())
    commitment.support_institutions.add(InstitutionFactory(state=StateFactory()))
    StateActionPlanFactory()
    MeetingFactory(space=CoordinationSpaceFactory(commitment=commitment))
    return commitment


@pytest.mark.parametrize(
    "model",
    [
        "commitments.actionplan",
        "commitments.commitment",
        "commitments.milestone",
        "commitments.institution",
        "commitments.policyarea",
        "commitments.sdgtarget",
        "commitments.alignment",
        "states.state",
        "coordination.coordinationspace",
        "coordination.meeting",
    ],
)
def test_admin_changelist_opens_for_a_superuser(admin_client, some_of_everything, model):
    app_label, model_name = model.split(".")

    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    assert response.status_code == 200


def test_admin_commitment_change_form_opens_with_milestones_inline(
    admin_client, some_of_everything
):
    response = admin_client.get(
        reverse("admin:commitments_commitment_change", args=[some_of_everything.pk])
    )

    assert response.status_code == 200
    assert "milestones-TOTAL_FORMS" in response.content.decode()


def test_pages_only_answer_get_and_head(client):
    for name in ["home", "commitments:commitment_list", "commitments:action_plan_list"]:
        assert client.post(reverse(name)).status_code == 405
    assert client.head(reverse("states:state_list")).status_code == 200


def test_server_error_page_renders_without_a_request_context():
    html = render_to_string("500.html")

    assert "Error del servidor" in html
    assert 'href="/"' in html
