"""The Mexico OGP loader: the real data, loaded once, and loading it again changes nothing."""

import datetime
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from commitments.loaders import DATA_FILE, read_bundled_data
from commitments.models import ActionPlan, Commitment, Institution, Milestone, PolicyArea
from coordination.models import CoordinationSpace
from ogp_data.loaders import load_mexico_ogp
from states.models import State

SEED_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_FILE = SEED_DIR / "000_80f62517d55c3916.txt"

pytestmark = pytest.mark.django_db


def seed_commitments():
    """{code: (title_en, cycle year, policy area or "")} from the seed's list of commitments."""
    text = SEED_FILE.read_text(encoding="utf-8")
    listing = text[text.index("\nCommitments\n") + len("\nCommitments\n") :]
    commitments = {}
    for block in listing.split("-\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        title, meta = lines
        code, year, area = (part.strip() for part in meta.split(",", 2))
        commitments[code] = (title.strip(), int(year), area)
    return commitments


def run_command():
    output = io.StringIO()
    with translation.override("es-mx"):
        call_command("load_mexico_ogp", stdout=output)
    return output.getvalue()


@pytest.fixture
def loaded():
    return load_mexico_ogp()


def test_the_data_file_ships_inside_the_project():
    project_root = Path(__file__).resolve().parents[2]
    assert DATA_FILE.is_relative_to(project_root)
    assert DATA_FILE.is_file()


def national():
    return Commitment.objects.filter(action_plan__scope=ActionPlan.Scope.NATIONAL)


def test_loading_twice_keeps_87_national_commitments_and_the_second_run_changes_nothing():
    first_output = run_command()
    assert national().count() == 87
    total = Commitment.objects.count()  # with the local plans' commitments found in sources
    assert f"Compromisos: creados {total}, actualizados 0, sin cambios 0" in first_output
    updated_at = dict(Commitment.objects.values_list("code", "updated_at"))

    second_output = run_command()

    assert national().count() == 87
    assert f"Compromisos: creados 0, actualizados 0, sin cambios {total}" in second_output
    assert dict(Commitment.objects.values_list("code", "updated_at")) == updated_at


def test_a_third_run_reports_nothing_created_or_updated_for_any_model(loaded):
    load_mexico_ogp()

    report = load_mexico_ogp()

    for model, counts in report.counts.items():
        assert (counts.created, counts.updated) == (0, 0), model.__name__
        assert counts.unchanged == model.objects.count(), model.__name__


def test_the_command_prints_one_summary_line_per_model():
    output = run_command()

    lines = output.strip().splitlines()
    assert len(lines) == 17
    assert "Entidades federativas: creados 32, actualizados 0, sin cambios 0" in lines
    assert "Hitos: creados 3, actualizados 0, sin cambios 0" in lines


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason=f"seed folder {SEED_DIR} is not available")
def test_every_code_title_cycle_and_listed_policy_area_matches_the_seed(loaded):
    seed = seed_commitments()
    assert len(seed) == 87

    in_database = {
        commitment.code: commitment
        for commitment in national().select_related("action_plan").prefetch_related("policy_areas")
    }

    assert set(in_database) == set(seed)
    for code, (title_en, cycle_year, area) in seed.items():
        commitment = in_database[code]
        assert commitment.title_en == title_en, code
        assert commitment.action_plan.cycle_year == cycle_year, code
        names = {policy_area.name_en for policy_area in commitment.policy_areas.all()}
        assert (area in names) if area else not names, code


def test_the_four_national_plans_hold_37_26_11_and_13_commitments(loaded):
    per_cycle = Counter(national().values_list("action_plan__cycle_year", flat=True))

    assert per_cycle == {2011: 37, 2013: 26, 2016: 11, 2019: 13}
    plans = ActionPlan.objects.filter(scope=ActionPlan.Scope.NATIONAL).order_by("cycle_year")
    assert [(p.title, p.scope, p.state, p.country, p.status) for p in plans] == [
        ("Plan de Acción 2011-2013", "national", None, "MX", "closed"),
        ("Plan de Acción 2013-2015", "national", None, "MX", "closed"),
        ("Plan de Acción 2016-2018", "national", None, "MX", "closed"),
        ("Plan de Acción 2019-2022", "national", None, "MX", "active"),
    ]


def test_each_commitment_runs_over_its_plans_dates(loaded):
    for commitment in national().select_related("action_plan"):
        plan = commitment.action_plan
        assert (commitment.start_date, commitment.end_date) == (plan.start_date, plan.end_date)
    plan_2019 = ActionPlan.objects.get(cycle_year=2019, scope=ActionPlan.Scope.NATIONAL)
    assert (plan_2019.start_date, plan_2019.end_date) == (
        datetime.date(2019, 12, 1),
        datetime.date(2022, 8, 31),
    )


def test_titles_keep_the_seeds_spelling(loaded):
    assert Commitment.objects.get(code="MX0007").title_en == (
        "Corporate Accountability D: Mexico’s Joining the EITI"
    )
    assert Commitment.objects.get(code="MX0068").title_en.endswith("Social Development .")


def test_mx0009_and_mx0037_have_no_policy_area(loaded):
    without_area = national().filter(policy_areas__isnull=True)

    assert set(without_area.values_list("code", flat=True)) == {"MX0009", "MX0037"}


@pytest.mark.parametrize(("first", "second"), [("MX0064", "MX0066"), ("MX0070", "MX0072")])
def test_commitments_sharing_a_title_stay_distinct(loaded, first, second):
    one, other = Commitment.objects.get(code=first), Commitment.objects.get(code=second)

    assert one.pk != other.pk
    assert one.title_en == other.title_en


def test_mx0087_has_its_four_lead_institutions(loaded):
    mx0087 = Commitment.objects.get(code="MX0087")

    leads = {(i.acronym, i.kind) for i in mx0087.lead_institutions.all()}

    assert leads == {
        ("INAI", Institution.Kind.OVERSIGHT),
        ("SFP", Institution.Kind.GOVERNMENT),
        ("GESOC", Institution.Kind.CIVIL_SOCIETY),
        ("Nosotr@s", Institution.Kind.CIVIL_SOCIETY),
    }
    assert mx0087.lead_institutions.filter(
        name="Instituto Nacional de Transparencia, Acceso a la Información y Protección de "
        "Datos Personales"
    ).exists()


def test_mx0087_has_its_supporting_civil_society_academia_and_international_partners(loaded):
    mx0087 = Commitment.objects.get(code="MX0087")

    supports = dict(mx0087.support_institutions.values_list("name", "kind"))

    assert supports == {
        "NOSC": "civil_society",
        "NOSCA": "civil_society",
        "Red de Gobierno Abierto y Desarrollo Sostenible": "civil_society",
        "Centro de Investigación y Docencia Económicas": "academia",
        "El Colegio de Sonora": "academia",
        "Universidad Autónoma de Ciudad Juárez": "academia",
        "Unidad de Apoyo AGA": "international",
    }


def test_mx0087_has_seven_policy_areas_and_eight_sdg_targets(loaded):
    mx0087 = Commitment.objects.get(code="MX0087")

    assert set(mx0087.policy_areas.values_list("name_en", flat=True)) == {
        "Capacity Building",
        "E-Government",
        "Gender",
        "Marginalized Communities",
        "Public Participation",
        "Subnational",
        "Sustainable Development Goals",
    }
    assert set(mx0087.sdg_targets.values_list("code", flat=True)) == {
        "11.a",
        "11.b",
        "16.5",
        "16.6",
        "16.8",
        "16.10",
        "17.14",
        "17.16",
    }
    target = mx0087.sdg_targets.get(code="16.10")
    assert target.goal == 16
    assert target.description_es.startswith("Garantizar el acceso público a la información")


def test_mx0087_has_its_three_key_actions_as_milestones_in_order(loaded):
    milestones = Milestone.objects.filter(commitment__code="MX0087").order_by("position")

    assert [(m.position, m.title[:30]) for m in milestones] == [
        (1, "Elaborar un estudio que sirva "),
        (2, "Creación de un espacio de coor"),
        (3, "Socialización del modelo de ar"),
    ]
    for milestone in milestones:
        assert milestone.weight == 1
        assert milestone.status == Milestone.Status.NOT_STARTED
        assert milestone.start_date == datetime.date(2019, 12, 1)
        assert milestone.due_date == datetime.date(2022, 8, 31)


def test_mx0087_carries_the_spanish_texts_of_its_commitment_page(loaded):
    mx0087 = Commitment.objects.get(code="MX0087")

    assert mx0087.title_en == "Subnational Open Government Strategy"
    assert "18 Planes de Acción Local" in mx0087.description
    assert mx0087.problem.startswith("A ocho años de la creación de la Alianza")
    assert mx0087.objectives.startswith("Objetivo a corto plazo (al 31 de agosto de 2021): ")
    assert "\n\nObjetivo a mediano plazo (al finalizar el sexenio): " in mx0087.objectives
    assert mx0087.ogp_relevance.startswith("Porque es un modelo de articulación")
    assert mx0087.gender_perspective.startswith("El avance de planes de acción a nivel local")
    assert mx0087.development_plan_axis == (
        "Eje I. Política y Gobierno. Recuperar el estado de derecho."
    )
    assert mx0087.additional_information.startswith("En el marco del Sistema Nacional")


def test_mx0087_texts_have_no_line_breaks_left_from_the_pdf(loaded):
    mx0087 = Commitment.objects.get(code="MX0087")

    for text in (mx0087.description, mx0087.ogp_relevance, mx0087.additional_information):
        for paragraph in text.split("\n\n"):
            assert "\n" not in paragraph
    assert "a fin de que, de acuerdo a sus atribuciones" in mx0087.description


def test_the_national_coordination_space_comes_from_mx0087_and_has_no_meetings(loaded):
    space = CoordinationSpace.objects.get(slug="espacio-coordinacion-nacional")

    assert space.name == "Espacio de Coordinación Nacional de Gobierno Abierto"
    assert space.commitment.code == "MX0087"
    assert not space.meetings.exists()


def test_the_32_states_have_codes_01_to_32_and_unique_names(loaded):
    states = list(State.objects.order_by("inegi_code"))

    assert [state.inegi_code for state in states] == [f"{n:02d}" for n in range(1, 33)]
    for attribute in ("official_name", "short_name", "abbreviation", "slug"):
        assert len({getattr(state, attribute) for state in states}) == 32, attribute
    mexico = State.objects.get(inegi_code="15")
    assert (mexico.official_name, mexico.short_name, mexico.abbreviation) == (
        "México",
        "Estado de México",
        "MEX",
    )
    assert State.objects.get(abbreviation="CDMX").slug == "ciudad-de-mexico"


def test_policy_areas_have_spanish_names_and_slugs_from_the_english_name(loaded):
    anti_corruption = PolicyArea.objects.get(name_en="Anti-Corruption")

    assert anti_corruption.slug == "anti-corruption"
    assert anti_corruption.name_es == "Anticorrupción"
    assert not PolicyArea.objects.filter(name_es="").exists()


def test_a_title_changed_in_the_data_is_updated_on_the_next_run(loaded):
    data = read_bundled_data()
    commitment = next(row for row in data["commitments"] if row["code"] == "MX0001")
    commitment["title_en"] = "Public Service Website, revised"
    before = Commitment.objects.get(code="MX0001")

    report = load_mexico_ogp(data=data)

    after = Commitment.objects.get(code="MX0001")
    assert after.title_en == "Public Service Website, revised"
    assert after.version == before.version + 1
    assert after.updated_at > before.updated_at
    assert (report[Commitment].created, report[Commitment].updated) == (0, 1)
    assert report[Commitment].unchanged == Commitment.objects.count() - 1


def test_a_policy_area_removed_from_the_data_is_unlinked_on_the_next_run(loaded):
    data = read_bundled_data()
    mx0087 = next(row for row in data["commitments"] if row["code"] == "MX0087")
    mx0087["policy_areas"].remove("gender")

    report = load_mexico_ogp(data=data)

    areas = Commitment.objects.get(code="MX0087").policy_areas
    assert areas.count() == 6
    assert not areas.filter(slug="gender").exists()
    assert PolicyArea.objects.filter(slug="gender").exists()
    assert report[Commitment].updated == 1


def test_progress_recorded_in_the_portal_survives_a_rerun(loaded):
    Milestone.objects.filter(commitment__code="MX0087", position=1).update(
        status=Milestone.Status.IN_PROGRESS
    )

    report = load_mexico_ogp()

    milestone = Milestone.objects.get(commitment__code="MX0087", position=1)
    assert milestone.status == Milestone.Status.IN_PROGRESS
    assert report[Milestone].updated == 0


def test_a_load_that_fails_part_way_writes_nothing():
    data = read_bundled_data()
    mx0087 = next(row for row in data["commitments"] if row["code"] == "MX0087")
    mx0087["policy_areas"].append("no-such-area")

    with pytest.raises(PolicyArea.DoesNotExist):
        load_mexico_ogp(data=data)

    assert not Commitment.objects.exists()
    assert not State.objects.exists()
