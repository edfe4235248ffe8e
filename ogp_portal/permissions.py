"""Who may change what: the one place pages, the API and tasks ask.

Anonymous users, reviewers and analysts change no commitment (reviewers and analysts
comment). A government editor changes the commitments their institution leads or supports
and, for local (state) action plans, every commitment of their state's plans. Staff
(Django's `is_staff` or the staff role) change everything on the portal's pages; the
admin (/admin/) opens only to Django's `is_staff`, which a superuser gives. Reading,
including evidence downloads, is public.

The rules read the user's membership (`user.membership`, accounts' related object) and
the objects passed in, through the protocols below; the module sits below every app and
imports none, so every app may ask it. The roles are `ogp_portal.roles`. The queryset of
what a user may edit is `commitments.selectors.editable_commitments`, built from
`editable_scope`.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, Q

from .roles import Role

# Whoever makes the request: pages and the API pass `request.user`.
type AnyUser = User | AnonymousUser

# `commitments.models.ActionPlan.Scope.STATE`: the scope of a state's local plans
# (tests/test_permissions_module.py checks they agree).
LOCAL_PLAN_SCOPE = "state"


class MemberInstitution(Protocol):
    """What the rules read of a member's institution (`commitments.models.Institution`)."""

    @property
    def kind(self) -> str: ...


class Member(Protocol):
    """What the rules read of a user's membership (`accounts.models.Membership`)."""

    @property
    def role(self) -> str: ...
    @property
    def institution_id(self) -> int | None: ...
    @property
    def state_id(self) -> int | None: ...
    @property
    def institution(self) -> MemberInstitution | None: ...


class PlanInScope(Protocol):
    """What the import rules read of an action plan (`commitments.models.ActionPlan`)."""

    @property
    def scope(self) -> str: ...
    @property
    def state_id(self) -> int | None: ...


class CommitmentPart(Protocol):
    """A milestone (`commitments.models.Milestone`): the rules ask of its commitment."""

    @property
    def commitment(self) -> Model: ...


class AuthoredComment(Protocol):
    """What the comment rules read of a comment (`reviews.models.Comment`, an app above)."""

    @property
    def author_id(self) -> int: ...
    @property
    def deleted_at(self) -> datetime.datetime | None: ...
    @property
    def is_visible(self) -> bool: ...
    def within_edit_window(self, *, now: datetime.datetime | None = None) -> bool: ...


class CommitmentEntry(Protocol):
    """A commitment's entry in a reporting round (`coordination`, an app above)."""

    @property
    def commitment(self) -> Model: ...


def _active(user: AnyUser) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def membership_of(user: AnyUser) -> Member | None:
    """The user's membership, or None for anonymous users and users without one."""
    if not _active(user):
        return None
    membership: Member | None = getattr(user, "membership", None)
    return membership


def is_portal_staff(user: AnyUser) -> bool:
    if not _active(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.role == Role.STAFF


def editable_scope(user: AnyUser) -> Q | None:
    """The commitments a government editor may change, as a filter over commitments: those
    their institution leads or supports and, with a state, their state's local plans'.
    None for everyone else (staff change everything: ask `is_portal_staff` first)."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.GOVERNMENT_EDITOR:
        return None
    scope = Q(lead_institutions=membership.institution_id) | Q(
        support_institutions=membership.institution_id
    )
    if membership.state_id:
        # Only local plans have a state (constraint action_plan_state_matches_scope).
        scope |= Q(action_plan__state=membership.state_id)
    return scope


def can_edit_commitment(user: AnyUser, commitment: Model) -> bool:
    """May the user record progress on this commitment (milestones, reports, evidence)?"""
    if is_portal_staff(user):
        return True
    scope = editable_scope(user)
    if scope is None:
        return False
    # Asked of the commitment's own model: this module does not import commitments.
    return type(commitment)._default_manager.filter(scope, pk=commitment.pk).exists()


def can_edit_milestone(user: AnyUser, milestone: CommitmentPart) -> bool:
    return can_edit_commitment(user, milestone.commitment)


def can_add_progress_report(user: AnyUser, commitment: Model) -> bool:
    return can_edit_commitment(user, commitment)


def can_manage_milestones(user: AnyUser, commitment: Model) -> bool:
    """Add milestones and change their order and weights."""
    return can_edit_commitment(user, commitment)


def can_upload_evidence(user: AnyUser, commitment: Model) -> bool:
    return can_edit_commitment(user, commitment)


def can_view_evidence(user: AnyUser, evidence: Model) -> bool:
    """Evidence is public, like the progress it supports."""
    return True


# --- Civil-society review (issue 4): comments, flags, moderation, assessments ---------
#
# Reviewers (approved members of civil-society and academic organisations), government
# editors and staff comment anywhere; a person still waiting for approval has no
# membership and only reads. Any logged-in user may flag a comment; staff moderate.
# Only reviewers of a civil-society or academic organisation assess reported progress.

# Analysts comment too: they are vetted accounts (given by staff), and a question about
# the data belongs next to the data, in public.
COMMENTING_ROLES = {Role.REVIEWER, Role.GOVERNMENT_EDITOR, Role.ANALYST, Role.STAFF}
ASSESSING_INSTITUTION_KINDS = {"civil_society", "academia"}


def can_comment(user: AnyUser) -> bool:
    if is_portal_staff(user):
        return True
    membership = membership_of(user)
    return membership is not None and membership.role in COMMENTING_ROLES


def can_edit_comment(
    user: AnyUser, comment: AuthoredComment, *, now: datetime.datetime | None = None
) -> bool:
    """Authors change their own comment within the edit window, while it is shown."""
    return (
        can_comment(user)
        and comment.author_id == user.pk
        and comment.is_visible
        and comment.within_edit_window(now=now)
    )


def can_delete_comment(user: AnyUser, comment: AuthoredComment) -> bool:
    """Authors delete their own comments; staff any (the record stays, marked deleted)."""
    if comment.deleted_at is not None:
        return False
    return is_portal_staff(user) or (_active(user) and comment.author_id == user.pk)


def can_flag_comment(user: AnyUser, comment: AuthoredComment) -> bool:
    """Any logged-in user flags someone else's comment that is still shown."""
    return _active(user) and comment.author_id != user.pk and comment.is_visible


def can_moderate(user: AnyUser) -> bool:
    return is_portal_staff(user)


def can_assess(user: AnyUser) -> bool:
    """May the user record their organisation's assessment of reported progress?"""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.REVIEWER
        and membership.institution is not None
        and membership.institution.kind in ASSESSING_INSTITUTION_KINDS
    )


def can_follow(user: AnyUser) -> bool:
    return _active(user)


def can_review_signups(user: AnyUser) -> bool:
    """Approve or reject people who signed up for an organisation."""
    return is_portal_staff(user)


# --- Reporting rounds (issue 14) --------------------------------------------------
#
# Staff run the rounds (open, close); the editors who may add a commitment's progress
# reports submit its report to a round; reviewers of civil-society and academic
# organisations validate or dispute what was submitted. The boards and releases are public.


def can_manage_rounds(user: AnyUser) -> bool:
    """Open and close reporting rounds."""
    return is_portal_staff(user)


def can_submit_to_round(user: AnyUser, entry: CommitmentEntry) -> bool:
    return can_add_progress_report(user, entry.commitment)


def can_review_round_entry(user: AnyUser, entry: CommitmentEntry) -> bool:
    """Validate or dispute a report submitted to a round, for one's own organisation."""
    return can_assess(user)


def can_manage_own_reminders(user: AnyUser) -> bool:
    return _active(user)


# --- Imports from spreadsheets (issue 13) -----------------------------------------------
#
# Staff import anything; a state's government editor imports only into their state's
# local plans (rows of another state are row errors); nobody else reaches the import.


def can_import(user: AnyUser) -> bool:
    if is_portal_staff(user):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.GOVERNMENT_EDITOR
        and membership.state_id is not None
    )


def can_import_into_plan(user: AnyUser, plan: PlanInScope) -> bool:
    """May the user's import create or change this plan and what belongs to it?"""
    if is_portal_staff(user):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and can_import(user)
        and plan.scope == LOCAL_PLAN_SCOPE
        and plan.state_id == membership.state_id
    )
