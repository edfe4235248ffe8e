"""The database itself refuses rows that break the domain's rules, whatever code writes them.

Rows are written with `objects.create()` or `.update()`, which skip model validation, so
what stops them is the constraint in the database.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction

from commitments.models import (
    ActionPlan,
    Alignment,
    Commitment,
    Institution,
    Milestone,
    SdgTarget,
)
from states.models import State
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
    SdgTargetFactory,
    StateActionPlanFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

JAN_1 = datetime.date(2030, 1, 1)
JAN_2 = datetime.date(2030, 1, 2)


@contextmanager
def refused_by_database(mentioning):
    """The block raises IntegrityError whose message names the rule (or its column)."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        yield
    assert mentioning in str(error.value)


# Commitments


def test_two_commitments_cannot_share_a_code():
    CommitmentFactory(code="MX0001")

    with refused_by_database("code"):
        CommitmentFactory(code="MX0001")


def test_a_commitment_needs_a_code():
    with refused_by_database("commitment_code_not_blank"):
        CommitmentFactory(code="")


def test_a_commitment_needs_a_title_in_at_least_one_language():
    CommitmentFactory(title_es="", title_en="Only in English")

    with refused_by_database("commitment_has_a_title"):
        CommitmentFactory(title_es="", title_en="")


def test_a_commitment_cannot_end_before_it_starts():
    CommitmentFactory(start_date=JAN_1, end_date=JAN_1)

    with refused_by_database("commitment_dates_in_order"):
        CommitmentFactory(start_date=JAN_2, end_date=JAN_1)


@pytest.mark.parametrize("percent", [-1, 101])
def test_a_commitments_completion_stays_between_0_and_100(percent):
    commitment = CommitmentFactory()

    with refused_by_database("commitment_completion_0_to_100"):
        Commitment.objects.filter(pk=commitment.pk).update(completion_percent=percent)


# Action plans


def test_an_action_plan_cannot_end_before_it_starts():
    with refused_by_database("action_plan_dates_in_order"):
        ActionPlanFactory(start_date=JAN_2, end_date=JAN_1)


def test_a_national_plan_has_no_state():
    with refused_by_database("action_plan_state_matches_scope"):
        ActionPlanFactory(scope=ActionPlan.Scope.NATIONAL, state=StateFactory())


def test_a_state_plan_names_its_state():
    with refused_by_database("action_plan_state_matches_scope"):
        ActionPlanFactory(scope=ActionPlan.Scope.STATE, state=None)


def test_there_is_one_national_plan_per_country_and_cycle():
    ActionPlanFactory(cycle_year=2031)

    with refused_by_database("cycle_year"):
        ActionPlanFactory(cycle_year=2031)


def test_there_is_one_plan_per_state_and_cycle():
    jalisco = StateFactory(inegi_code="14")
    StateActionPlanFactory(state=jalisco, cycle_year=2031)

    with refused_by_database("cycle_year"):
        StateActionPlanFactory(state=jalisco, cycle_year=2031)


def test_national_and_state_plans_of_several_states_share_a_cycle():
    ActionPlanFactory(cycle_year=2031)
    StateActionPlanFactory(state=StateFactory(inegi_code="14"), cycle_year=2031)
    StateActionPlanFactory(state=StateFactory(inegi_code="26"), cycle_year=2031)

    assert ActionPlan.objects.filter(cycle_year=2031).count() == 3


@pytest.mark.parametrize("cycle_year", [2010, 2101])
def test_an_action_plan_cycle_is_a_plausible_year(cycle_year):
    with refused_by_database("action_plan_cycle_year_plausible"):
        ActionPlanFactory(cycle_year=cycle_year)


def test_an_action_plan_status_is_one_of_the_known_ones():
    plan = ActionPlanFactory()

    with refused_by_database("action_plan_status_valid"):
        ActionPlan.objects.filter(pk=plan.pk).update(status="paused")


# Milestones


def test_a_milestone_weighs_more_than_zero():
    with refused_by_database("milestone_weight_positive"):
        MilestoneFactory(weight=0)


def test_a_milestone_is_not_due_before_it_starts():
    with refused_by_database("milestone_dates_in_order"):
        MilestoneFactory(start_date=JAN_2, due_date=JAN_1)


def test_a_milestone_status_is_one_of_the_known_ones():
    milestone = MilestoneFactory()

    with refused_by_database("milestone_status_valid"):
        Milestone.objects.filter(pk=milestone.pk).update(status="forgotten")


def test_two_milestones_of_a_commitment_cannot_share_a_position():
    first = MilestoneFactory(position=1)
    MilestoneFactory(position=1)  # another commitment's first milestone is fine

    with refused_by_database("position"):
        MilestoneFactory(commitment=first.commitment, position=1)


def test_a_milestone_progress_is_at_most_100_percent():
    with refused_by_database("milestone_percent_0_to_100"):
        MilestoneFactory(percent_complete=101)


def test_a_complete_milestone_is_100_percent_done():
    MilestoneFactory(status=Milestone.Status.COMPLETE, percent_complete=100)

    with refused_by_database("milestone_complete_means_100_percent"):
        MilestoneFactory(status=Milestone.Status.COMPLETE, percent_complete=90)


def test_a_milestone_does_not_actually_end_before_it_actually_started():
    with refused_by_database("milestone_actual_dates_in_order"):
        MilestoneFactory(actual_start_date=JAN_2, actual_end_date=JAN_1)


# Alignments between local and national commitments


def test_a_commitment_is_not_aligned_with_itself():
    commitment = CommitmentFactory()

    with refused_by_database("alignment_not_with_itself"):
        Alignment.objects.create(
            local_commitment=commitment,
            national_commitment=commitment,
            kind=Alignment.Kind.REPLICATES,
        )


def test_a_pair_of_commitments_is_aligned_once():
    local, national = CommitmentFactory(), CommitmentFactory()
    Alignment.objects.create(
        local_commitment=local, national_commitment=national, kind=Alignment.Kind.REPLICATES
    )

    with refused_by_database("national_commitment"):
        Alignment.objects.create(
            local_commitment=local, national_commitment=national, kind=Alignment.Kind.COMPLEMENTS
        )


# Institutions, policy areas and SDG targets


def test_an_institution_kind_is_one_of_the_known_ones():
    with refused_by_database("institution_kind_valid"):
        Institution.objects.create(name="Observatorio Ciudadano", kind="ngo")


def test_two_institutions_cannot_share_a_name():
    InstitutionFactory(name="Secretaría de la Función Pública")

    with refused_by_database("name"):
        InstitutionFactory(name="Secretaría de la Función Pública")


@pytest.mark.parametrize("column", ["slug", "name_en"])
def test_two_policy_areas_cannot_share_a_slug_or_english_name(column):
    PolicyAreaFactory(**{column: "gender"})

    with refused_by_database(column):
        PolicyAreaFactory(**{column: "gender"})


@pytest.mark.parametrize("goal", [0, 18])
def test_an_sdg_target_belongs_to_goals_1_to_17(goal):
    with refused_by_database("sdg_target_goal_1_to_17"):
        SdgTarget.objects.create(code="16.1", goal=goal)


@pytest.mark.parametrize("code", ["16", "18.1", "16.ab", "0.1", "16.100"])
def test_an_sdg_target_code_looks_like_goal_dot_target(code):
    with refused_by_database("sdg_target_code_format"):
        SdgTarget.objects.create(code=code, goal=16)


def test_two_sdg_targets_cannot_share_a_code():
    SdgTarget.objects.create(code="16.10", goal=16)

    with refused_by_database("code"):
        SdgTarget.objects.create(code="16.10", goal=16)


def test_sdg_target_codes_with_letters_and_two_digits_are_accepted():
    for code in ("11.a", "16.10", "17.16"):
        SdgTargetFactory(code=code, goal=int(code.split(".")[0]))

    assert SdgTarget.objects.count() == 3


# States


@pytest.mark.parametrize("inegi_code", ["33", "1", "00", "AB"])
def test_a_state_inegi_code_is_two_digits_from_01_to_32(inegi_code):
    with refused_by_database("state_inegi_code_01_to_32"):
        StateFactory(inegi_code=inegi_code)


def test_inegi_codes_01_and_32_are_accepted():
    StateFactory(inegi_code="01")
    StateFactory(inegi_code="32")

    assert State.objects.count() == 2


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("official_name", "Jalisco"),
        ("short_name", "Jalisco"),
        ("abbreviation", "JAL"),
        ("slug", "jalisco"),
    ],
)
def test_two_states_cannot_share_a_name_abbreviation_or_slug(column, value):
    StateFactory(inegi_code="01", **{column: value})

    with refused_by_database(column):
        StateFactory(inegi_code="02", **{column: value})
