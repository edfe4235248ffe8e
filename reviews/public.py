"""What the public sees of a comment or an assessment, for the pages, the API and open data.

A deleted comment keeps its place (author, date) but not its text; a comment hidden by
moderation shows the public reason instead of its text; a restored comment shows its
text and the moderation note. People are named by their full name and organisation,
never by their username (it may be an e-mail address).
"""

VISIBLE, DELETED, HIDDEN = "visible", "deleted", "hidden"
STATUSES = (VISIBLE, DELETED, HIDDEN)


def target_kind(comment):
    """What the comment is about: commitment, milestone or meeting."""
    return target_kind_of(comment.commitment_id, comment.milestone_id)


def status(comment):
    return status_of(comment.deleted_at, comment.hidden_at)


def body_html(comment):
    """The sanitised HTML of a shown comment (stored when written); None when deleted or
    hidden."""
    return shown(comment.deleted_at, comment.hidden_at, comment.body_html)


def moderation_reason(comment):
    """The public moderation reason or note; empty for a deleted comment, as on the page."""
    return moderation_reason_of(comment.deleted_at, comment.moderation_reason)


def edited_at(comment):
    """When a shown comment was last edited (the page marks it «editado»)."""
    return shown(comment.deleted_at, comment.hidden_at, comment.edited_at)


def person_name(user):
    """The person's full name, or None when they gave none (never the username)."""
    if user is None:
        return None
    return (user.get_full_name() or "").strip() or None


# The same rules over a comment's column values (the API's list reads values(), not models).


def target_kind_of(commitment_id, milestone_id):
    if commitment_id:
        return "commitment"
    return "milestone" if milestone_id else "meeting"


def status_of(deleted_at, hidden_at):
    if deleted_at is not None:
        return DELETED
    if hidden_at is not None:
        return HIDDEN
    return VISIBLE


def shown(deleted_at, hidden_at, value):
    """`value` of a shown comment; None when deleted or hidden."""
    return value if deleted_at is None and hidden_at is None else None


def moderation_reason_of(deleted_at, reason):
    return "" if deleted_at is not None else reason


def person_name_of(first_name, last_name):
    """person_name from the user's columns (Django's get_full_name joins them with a space)."""
    return f"{first_name} {last_name}".strip() or None


def assessment_target_kind(assessment):
    return "progress_report" if assessment.progress_report_id else "milestone"


def about_earlier_version(assessment):
    """A milestone assessment made before the milestone's latest update (the page says so)."""
    return bool(
        assessment.milestone_id and assessment.milestone_version != assessment.milestone.version
    )
