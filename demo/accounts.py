"""One account per role for trying the portal, with a new random password each time."""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Role
from commitments.models import ActionPlan, Institution
from ogp_portal.outbox import data_changed
from states.models import State

# A reserved top-level domain: nothing sent to it is ever delivered.
EMAIL_DOMAIN = "demo.estadoabierto.invalid"
PASSWORD_LENGTH = 16


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    may: str
    token: str = ""


def create_demo_accounts(*, state=None):
    """Create (or update) the demo's five accounts and set a fresh random password on each.

    Only for the demo database: prepare_demo checks demo mode before calling it. The state
    editor works for ``state`` (by default the first state with a local plan).
    """
    with transaction.atomic():
        data_changed()
        federal = _leading_institution(Institution.Kind.GOVERNMENT) or _institution(
            "Dependencia federal de demostración", kind=Institution.Kind.GOVERNMENT
        )
        state = state or _state_with_local_plan()
        local = _institution(
            f"Coordinación de Gobierno Abierto de {state.short_name} (demostración)",
            kind=Institution.Kind.GOVERNMENT,
            state=state,
        )
        organisation = _leading_institution(Institution.Kind.CIVIL_SOCIETY) or _institution(
            "Organización de sociedad civil de demostración", kind=Institution.Kind.CIVIL_SOCIETY
        )
        accounts = [
            _account(
                "demo-gobierno",
                role=Role.GOVERNMENT_EDITOR,
                institution=federal,
                may=_("registra avance en los compromisos que %(institution)s lidera o apoya")
                % {"institution": federal.acronym or federal.name},
            ),
            _account(
                "demo-estado",
                role=Role.GOVERNMENT_EDITOR,
                institution=local,
                may=_("registra avance en los compromisos de los planes locales de %(state)s")
                % {"state": state.short_name},
            ),
            _account(
                "demo-sociedad",
                role=Role.REVIEWER,
                institution=organisation,
                may=_("comenta, señala y valora el avance reportado, por %(organisation)s")
                % {"organisation": organisation.acronym or organisation.name},
            ),
            _account(
                "demo-analista",
                role=Role.ANALYST,
                may=_("lee, comenta y usa la API con su token"),
                with_token=True,
            ),
            _account(
                "demo-equipo",
                role=Role.STAFF,
                may=_("todo, incluidas la moderación y la administración en /admin/"),
                staff=True,
            ),
        ]
    return accounts


def _leading_institution(kind):
    """The federal institution of this kind that leads the most commitments, if any."""
    return (
        Institution.objects.filter(kind=kind, state__isnull=True)
        .annotate(led=Count("led_commitments"))
        .order_by("-led", "name")
        .first()
    )


def _institution(name, *, kind, state=None):
    institution, _created = Institution.objects.get_or_create(
        name=name, defaults={"kind": kind, "state": state}
    )
    return institution


def _state_with_local_plan():
    plan = (
        ActionPlan.objects.filter(scope=ActionPlan.Scope.STATE, commitments__isnull=False)
        .select_related("state")
        .order_by("state__inegi_code")
        .first()
    )
    if plan is not None:
        return plan.state
    state = State.objects.order_by("inegi_code").first()
    if state is None:
        raise ValueError(_("No hay entidades federativas: cargue los datos primero."))
    return state


def _account(username, *, role, may, institution=None, staff=False, with_token=False):
    password = get_random_string(PASSWORD_LENGTH)
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.email = f"{username}@{EMAIL_DOMAIN}"
    user.first_name = f"{Role(role).label} (demo)"
    user.is_active = True
    user.is_staff = user.is_superuser = staff
    user.set_password(password)
    user.save()
    membership = Membership.objects.filter(user=user).first() or Membership(user=user)
    membership.role, membership.institution, membership.state = role, institution, None
    membership.full_clean()
    membership.save()
    # A demo account locked out by someone's mistyped password opens again.
    AccessAttempt.objects.filter(username=username).delete()
    token = ""
    if with_token:
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user).key
    return DemoAccount(
        username=username, password=password, role=str(Role(role).label), may=may, token=token
    )
