"""Template tags that put civil society's review on other apps' pages without their views."""

from django import template

from ogp_portal import permissions
from ogp_portal.strict_input import parse_id

from .. import selectors
from ..forms import AssessmentForm, CommentForm

register = template.Library()


@register.inclusion_tag("reviews/includes/comment_thread.html", takes_context=True)
def comment_thread(context, commitment=None, milestone=None, meeting=None):
    """The comments of one target with the forms the current user may use (2 queries)."""
    request = context["request"]
    after = request.GET.get("comentarios_desde", "")
    thread = selectors.comment_thread(
        commitment=commitment,
        milestone=milestone,
        meeting=meeting,
        after=parse_id(after),
    )
    user = request.user
    can_comment = permissions.can_comment(user)
    return {
        "request": request,
        "user": user,
        "thread": thread,
        "can_comment": can_comment,
        "is_pending": user.is_authenticated and not can_comment,
        "form": CommentForm(auto_id="id_comentario_%s") if can_comment else None,
        "is_staff": permissions.is_portal_staff(user),
    }


@register.simple_tag(takes_context=True)
def may_edit_comment(context, comment):
    return permissions.can_edit_comment(context["request"].user, comment)


@register.simple_tag(takes_context=True)
def may_delete_comment(context, comment):
    return permissions.can_delete_comment(context["request"].user, comment)


@register.simple_tag(takes_context=True)
def may_flag_comment(context, comment):
    return permissions.can_flag_comment(context["request"].user, comment)


@register.simple_tag
def reply_form(comment):
    return CommentForm(auto_id=f"id_respuesta_{comment.pk}_%s", initial={"parent": comment.pk})


@register.simple_tag
def assessment_form(record, kind):
    return AssessmentForm(auto_id=f"id_evaluacion_{kind}_{record.pk}_%s")


@register.inclusion_tag("reviews/includes/progress_reports.html", takes_context=True)
def progress_reports_review(context, commitment):
    """Each progress report beside what civil-society organisations say about it."""
    request = context["request"]
    return {
        "request": request,
        "commitment": commitment,
        "reports": selectors.reports_with_assessments(commitment),
        "can_assess": permissions.can_assess(request.user),
    }


@register.simple_tag
def civil_society_view(commitment):
    """(total, [(label, verdict, count)]) of organisations' assessments of the commitment."""
    return selectors.civil_society_view(commitment)


@register.inclusion_tag("reviews/includes/follow_button.html", takes_context=True)
def follow_button(context, commitment=None, state=None, space=None):
    request = context["request"]
    if commitment is not None:
        target, key, name = "compromiso", commitment.code, {"commitment": commitment}
    elif state is not None:
        target, key, name = "estado", state.slug, {"state": state}
    else:
        target, key, name = "espacio", space.slug, {"space": space}
    return {
        "request": request,
        "user": request.user,
        "target": target,
        "key": key,
        "following": selectors.is_following(request.user, **name),
    }


@register.simple_tag(takes_context=True)
def is_portal_staff(context):
    return permissions.is_portal_staff(context["request"].user)
