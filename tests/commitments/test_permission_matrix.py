"""Who may record progress where: every role × every write action × own and other scope.

The matrix goes through the pages. It also fails when a URL is added to the commitments,
accounts or reviews URLconfs without being classified here, so no write escapes it.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from commitments.models import Evidence, Milestone, ProgressReport
from tests.commitments.worlds import build_world, progress_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def milestone_of(commitment):
    return commitment.milestones.order_by("position").first()


# Each write action: (URL name, how to call it, what shows it happened).
def view_edit_page(client, commitment):
    return client.get(reverse("commitments:commitment_edit", args=[commitment.code]))


def open_milestone_form(client, commitment):
    milestone = milestone_of(commitment)
    url = reverse("commitments:milestone_update", args=[commitment.code, milestone.pk])
    return client.get(url)


def update_milestone(client, commitment):
    milestone = milestone_of(commitment)
    url = reverse("commitments:milestone_update", args=[commitment.code, milestone.pk])
    return client.post(url, progress_data(milestone, percent_complete=55))


def upload_evidence(client, commitment):
    milestone = milestone_of(commitment)
    url = reverse("commitments:milestone_update", args=[commitment.code, milestone.pk])
    data = progress_data(milestone)
    data[f"hito-{milestone.pk}-evidence_file"] = SimpleUploadedFile("acta.pdf", PDF)
    return client.post(url, data)


def add_report(client, commitment):
    url = reverse("commitments:progress_report_add", args=[commitment.code])
    return client.post(url, {"informe-date": "2030-05-01", "informe-summary": "Avance del mes."})


def add_milestone(client, commitment):
    url = reverse("commitments:milestone_add", args=[commitment.code])
    return client.post(url, {"nuevo-hito-title": "Hito nuevo", "nuevo-hito-weight": 2})


def move_milestone(client, commitment):
    milestone = commitment.milestones.order_by("position").last()
    url = reverse("commitments:milestone_move", args=[commitment.code, milestone.pk])
    return client.post(url, {"version": milestone.version, "direction": "up"})


def happened(action, commitment):
    """Did the write reach the database? (page views change nothing)."""
    first = milestone_of(commitment)
    return {
        update_milestone: lambda: first.percent_complete == 55,
        upload_evidence: lambda: Evidence.objects.filter(milestone__commitment=commitment).exists(),
        add_report: lambda: ProgressReport.objects.filter(commitment=commitment).exists(),
        add_milestone: lambda: commitment.milestones.filter(title="Hito nuevo").exists(),
        move_milestone: lambda: first.position == 1 and first.version > 1,
    }.get(action, lambda: None)()


WRITE_ACTIONS = {
    "commitments:commitment_edit": [view_edit_page],
    "commitments:milestone_update": [open_milestone_form, update_milestone, upload_evidence],
    "commitments:progress_report_add": [add_report],
    "commitments:milestone_add": [add_milestone],
    "commitments:milestone_move": [move_milestone],
}
ALL_ACTIONS = [action for actions in WRITE_ACTIONS.values() for action in actions]

# Everything else in the two URLconfs, and why it is not in the write matrix.
PUBLIC_READ_URL_NAMES = {
    "commitments:action_plan_list",
    "commitments:action_plan_detail",
    "commitments:commitment_list",
    "commitments:commitment_detail",
    "commitments:evidence_download",  # tested below: public for every role
}
LOGGED_IN_READ_URL_NAMES = {"commitments:my_commitments"}
AUTH_URL_NAMES = {
    "signup",  # anonymous: creates a pending account (tests/reviews/test_organisations.py)
    "invitation_accept",  # anonymous with a signed token (same file)
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}

SCOPES = ["own_institution", "other_institution", "own_state", "other_state"]
ALLOWED_SCOPES = {
    "lead_editor": {"own_institution"},
    "support_editor": {"own_institution"},
    "state_editor": {"own_state"},
    "other_state_editor": {"other_state"},
    "other_editor": {"other_institution"},
    "reviewer": set(),
    "analyst": set(),
    "no_membership": set(),
    "staff_role": set(SCOPES),
    "django_staff": set(SCOPES),
}


def commitment_in(world, scope):
    return {
        "own_institution": world.national_commitment,
        "other_institution": world.other_commitment,
        "own_state": world.local_commitment,
        "other_state": world.other_state_commitment,
    }[scope]


def url_names_in(modules):
    """Names of every URL pattern that comes from the given URLconf modules."""
    names = set()

    def walk(patterns, namespace, inside):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, child, inside or module in modules)
            elif inside and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "", False)
    return names


def test_every_url_of_commitments_and_accounts_is_classified():
    found = url_names_in({"commitments.urls", "accounts.urls", "reviews.urls"})
    classified = (
        set(WRITE_ACTIONS)
        | PUBLIC_READ_URL_NAMES
        | LOGGED_IN_READ_URL_NAMES
        | AUTH_URL_NAMES
        | set(REVIEW_ACTIONS)
        | REVIEW_AUTHOR_URL_NAMES
        | REVIEW_PUBLIC_URL_NAMES
    )
    assert found - classified == set(), "new URL: add it to the permission matrix"
    assert classified - found == set(), "the matrix names a URL that no longer exists"


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda action: action.__name__)
@pytest.mark.parametrize("role", sorted(ALLOWED_SCOPES))
def test_role_may_write_only_in_its_scope(client, role, action):
    world = build_world()
    client.force_login(world.users[role])

    for scope in SCOPES:
        commitment = commitment_in(world, scope)
        response = action(client, commitment)
        commitment.refresh_from_db()

        if scope in ALLOWED_SCOPES[role]:
            assert response.status_code in (200, 302), (role, scope, response.status_code)
            assert happened(action, commitment) in (True, None), (role, scope)
        else:
            assert response.status_code == 403, (role, scope, response.status_code)
            assert not happened(action, commitment), (role, scope)


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda action: action.__name__)
def test_anonymous_is_sent_to_log_in_and_nothing_changes(client, action):
    world = build_world()

    for scope in SCOPES:
        commitment = commitment_in(world, scope)
        response = action(client, commitment)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
        assert not happened(action, commitment)
    assert Milestone.history.filter(history_user__isnull=False).count() == 0


@pytest.mark.parametrize("role", [None, *sorted(ALLOWED_SCOPES)])
def test_evidence_download_is_public_for_everyone(client, role):
    world = build_world()
    staff = world.users["staff_role"]
    client.force_login(staff)
    upload_evidence(client, world.national_commitment)
    client.logout()
    evidence = Evidence.objects.get()
    if role:
        client.force_login(world.users[role])

    response = client.get(reverse("commitments:evidence_download", args=[evidence.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "sees_link"),
    [(None, False), ("reviewer", False), ("other_editor", False), ("lead_editor", True)],
)
def test_edit_link_on_the_commitment_page_only_for_those_allowed(client, role, sees_link):
    world = build_world()
    if role:
        client.force_login(world.users[role])
    commitment = world.national_commitment

    html = client.get(commitment.get_absolute_url()).content.decode()

    edit_url = reverse("commitments:commitment_edit", args=[commitment.code])
    assert (edit_url in html) is sees_link


# --- Civil-society review (issue 4) -------------------------------------------------
# Each review write: who may do it. Comments: reviewers, editors, analysts and staff
# (never a person without an approved membership). Assessments: reviewers of a
# civil-society organisation only. Flags, follows and notice settings: anyone logged in.
# Moderation and the sign-up queue: staff only.

from reviews.models import Assessment, Comment, Follow  # noqa: E402
from tests.factories import ProgressReportFactory  # noqa: E402

COMMENTERS = {
    "lead_editor",
    "support_editor",
    "state_editor",
    "other_state_editor",
    "other_editor",
    "reviewer",
    "analyst",
    "staff_role",
    "django_staff",
}
EVERYONE = set(ALLOWED_SCOPES)
STAFF = {"staff_role", "django_staff"}


def post_comment(client, world):
    url = reverse("reviews:comment_create", args=["compromiso", world.national_commitment.code])
    return client.post(url, {"body": "Un comentario."})


def assess_report(client, world):
    report = ProgressReportFactory(commitment=world.national_commitment)
    url = reverse("reviews:assess", args=["informe", report.pk])
    return client.post(url, {"verdict": "agree", "justification": "Lo constatamos."})


def flag_comment(client, world):
    comment = Comment.objects.create(
        commitment=world.national_commitment, author=UserFactory(username="autora"), body="Texto"
    )
    url = reverse("reviews:comment_flag", args=[comment.pk])
    return client.post(url, {"reason": "Insultos"})


def view_moderation_queue(client, world):
    return client.get(reverse("reviews:moderation_queue"))


def moderate_comment(client, world):
    comment = Comment.objects.create(
        commitment=world.national_commitment, author=UserFactory(username="autora"), body="Texto"
    )
    url = reverse("reviews:moderate", args=[comment.pk])
    return client.post(url, {"action": "hide", "reason": "Lenguaje ofensivo"})


def follow(client, world):
    url = reverse("reviews:follow_toggle", args=["compromiso", world.national_commitment.code])
    return client.post(url)


def change_notice_settings(client, world):
    return client.post(reverse("reviews:notification_settings"), {"delivery": "daily"})


def view_signup_queue(client, world):
    return client.get(reverse("signup_queue"))


def decide_signup(client, world):
    from accounts.models import SignupRequest

    pending = SignupRequest.objects.create(
        user=UserFactory(username="pendiente"), requested_institution_name="Colectivo"
    )
    return client.post(reverse("signup_decide", args=[pending.pk]), {"decision": "approve"})


def review_happened(action):
    return {
        post_comment: lambda: Comment.objects.filter(body="Un comentario.").exists(),
        assess_report: lambda: Assessment.objects.exists(),
        flag_comment: lambda: Comment.objects.filter(flags__isnull=False).exists(),
        moderate_comment: lambda: Comment.objects.filter(hidden_at__isnull=False).exists(),
        follow: lambda: Follow.objects.exists(),
    }.get(action, lambda: None)()


REVIEW_ACTIONS = {
    "reviews:comment_create": (post_comment, COMMENTERS),
    "reviews:assess": (assess_report, {"reviewer"}),
    "reviews:comment_flag": (flag_comment, EVERYONE),
    "reviews:moderation_queue": (view_moderation_queue, STAFF),
    "reviews:moderate": (moderate_comment, STAFF),
    "reviews:follow_toggle": (follow, EVERYONE),
    "reviews:notification_settings": (change_notice_settings, EVERYONE),
    "signup_queue": (view_signup_queue, STAFF),
    "signup_decide": (decide_signup, STAFF),
}
# Only the author (and, for deleting, staff): tests/reviews/test_comments.py.
REVIEW_AUTHOR_URL_NAMES = {"reviews:comment_edit", "reviews:comment_delete"}
REVIEW_PUBLIC_URL_NAMES = {
    "reviews:milestone_review",
    "reviews:commitment_updates_feed",
    "reviews:commitment_comments_feed",
    "reviews:state_updates_feed",
    "reviews:state_comments_feed",
}


@pytest.mark.parametrize("url_name", sorted(REVIEW_ACTIONS))
@pytest.mark.parametrize("role", sorted(ALLOWED_SCOPES))
def test_review_actions_only_for_allowed_roles(client, role, url_name):
    world = build_world()
    action, allowed = REVIEW_ACTIONS[url_name]
    client.force_login(world.users[role])

    response = action(client, world)

    if role in allowed:
        assert response.status_code in (200, 302), (role, url_name, response.status_code)
        assert review_happened(action) in (True, None), (role, url_name)
    else:
        assert response.status_code == 403, (role, url_name, response.status_code)
        assert not review_happened(action), (role, url_name)


@pytest.mark.parametrize("url_name", sorted(REVIEW_ACTIONS))
def test_anonymous_cannot_use_review_actions(client, url_name):
    world = build_world()
    action, _allowed = REVIEW_ACTIONS[url_name]

    response = action(client, world)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not review_happened(action)
