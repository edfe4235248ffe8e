"""Small worlds for the progress-editing tests: plans, institutions and people in roles."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from accounts.models import Role
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MembershipFactory,
    MilestoneFactory,
    StateActionPlanFactory,
    StateFactory,
    UserFactory,
)

PLAN_START = datetime.date(2030, 1, 1)
PLAN_END = datetime.date(2032, 6, 30)


@dataclass
class World:
    national_commitment: object  # led by `ministry`, supported by `agency`
    other_commitment: object  # national, led by `other_ministry`
    local_commitment: object  # of the state plan of `state`
    other_state_commitment: object  # of another state's plan
    users: dict


def build_world():
    """Two national commitments of different institutions, two local ones in two states,
    and one person per role and scope."""
    ministry = InstitutionFactory(name="Secretaría de Prueba")
    agency = InstitutionFactory(name="Agencia de Apoyo")
    other_ministry = InstitutionFactory(name="Otra Secretaría")
    state, other_state = StateFactory(inegi_code="14"), StateFactory(inegi_code="19")
    state_office = InstitutionFactory(name="Gobierno de la Entidad 14", state=state)
    other_state_office = InstitutionFactory(name="Gobierno de la Entidad 19", state=other_state)

    plan = ActionPlanFactory(cycle_year=2030, start_date=PLAN_START, end_date=PLAN_END)
    national = CommitmentFactory(code="MX9001", action_plan=plan)
    national.lead_institutions.add(ministry)
    national.support_institutions.add(agency)
    other = CommitmentFactory(code="MX9002", action_plan=plan)
    other.lead_institutions.add(other_ministry)
    local = CommitmentFactory(
        code="JAL9001",
        action_plan=StateActionPlanFactory(
            state=state, cycle_year=2030, start_date=PLAN_START, end_date=PLAN_END
        ),
    )
    other_local = CommitmentFactory(
        code="NL9001",
        action_plan=StateActionPlanFactory(
            state=other_state, cycle_year=2030, start_date=PLAN_START, end_date=PLAN_END
        ),
    )
    for commitment in (national, other, local, other_local):
        MilestoneFactory(commitment=commitment, position=1, weight=1)
        MilestoneFactory(commitment=commitment, position=2, weight=1)

    def member(username, role, institution=None):
        return MembershipFactory(
            user=UserFactory(username=username), role=role, institution=institution
        ).user

    users = {
        "lead_editor": member("editora_lider", Role.GOVERNMENT_EDITOR, ministry),
        "support_editor": member("editor_apoyo", Role.GOVERNMENT_EDITOR, agency),
        "other_editor": member("editor_otra", Role.GOVERNMENT_EDITOR, other_ministry),
        "state_editor": member("editora_estatal", Role.GOVERNMENT_EDITOR, state_office),
        "other_state_editor": member(
            "editor_otro_estado", Role.GOVERNMENT_EDITOR, other_state_office
        ),
        "reviewer": member("revisora", Role.REVIEWER, InstitutionFactory(kind="civil_society")),
        "analyst": member("analista", Role.ANALYST),
        "staff_role": member("equipo", Role.STAFF),
        "django_staff": get_user_model().objects.create_user(
            "administradora", password="x", is_staff=True
        ),
        "no_membership": UserFactory(username="sin_membresia"),
    }
    return World(national, other, local, other_local, users)


def progress_data(milestone, **overrides):
    """A valid POST for the milestone progress form, from the milestone's current state."""
    prefix = f"hito-{milestone.pk}-"
    data = {
        "version": milestone.version,
        "status": "in_progress",
        "percent_complete": 40,
        "actual_start_date": "2030-02-01",
        "actual_end_date": "",
        "weight": milestone.weight,
        "narrative": "Se instaló la mesa de trabajo.",
        "evidence_title": "",
        "evidence_url": "",
    }
    data.update(overrides)
    return {prefix + key: value for key, value in data.items()}
