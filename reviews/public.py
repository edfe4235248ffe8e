"""What the public sees of a comment or an assessment, for the pages, the API and open data.

A deleted comment keeps its place (author, date) but not its text; a comment hidden by
moderation shows the public reason instead of its text; a restored comment shows its
text and the moderation note. People are named by their full name and organisation,
never by their username (it may be an e-mail address).
"""

from ogp_portal.user_text import render_markdown

VISIBLE, DELETED, HIDDEN = "visible", "deleted", "hidden"
STATUSES = (VISIBLE, DELETED, HIDDEN)


def target_kind(comment):
    """What the comment is about: commitment, milestone or meeting."""
    if comment.commitment_id:
        return "commitment"
    return "milestone" if comment.milestone_id else "meeting"


def status(comment):
    if comment.is_deleted:
        return DELETED
    if comment.is_hidden:
        return HIDDEN
    return VISIBLE


def body_html(comment):
    """The sanitised HTML of a shown comment; None when deleted or hidden."""
    return render_markdown(comment.body) if comment.is_visible else None


def moderation_reason(comment):
    """The public moderation reason or note; empty for a deleted comment, as on the page."""
    return "" if comment.is_deleted else comment.moderation_reason


def edited_at(comment):
    """When a shown comment was last edited (the page marks it «editado»)."""
    return comment.edited_at if comment.is_visible else None


def person_name(user):
    """The person's full name, or None when they gave none (never the username)."""
    if user is None:
        return None
    return (user.get_full_name() or "").strip() or None


def assessment_target_kind(assessment):
    return "progress_report" if assessment.progress_report_id else "milestone"


def about_earlier_version(assessment):
    """A milestone assessment made before the milestone's latest update (the page says so)."""
    return bool(
        assessment.milestone_id and assessment.milestone_version != assessment.milestone.version
    )
