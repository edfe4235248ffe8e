"""Pages of civil society's review: thin adapters over `reviews.services`.

Each write parses the form, calls the service (which owns the rules: who may, which
record, the rate limit) and answers its refusals through `ogp_portal.service_pages`.
A page that shows a form still asks `ogp_portal.permissions` first, so that a person
who may not act does not see the form at all.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commitments.models import Commitment, Milestone, ProgressReport
from coordination.models import CoordinationSpace, Meeting
from ogp_portal import permissions
from ogp_portal.service_errors import ServiceError
from ogp_portal.service_pages import refusal
from ogp_portal.strict_input import parse_id
from states.models import State

from . import selectors, services
from .forms import (
    AssessmentForm,
    CommentEditForm,
    CommentForm,
    DeliveryForm,
    FlagForm,
    ModerationForm,
)
from .models import Comment, NotificationPreference

REFUSED = (ServiceError, ValidationError)


def _comment_target(target, key):
    """The object a new comment is about, from the URL segment and key."""
    if target == "compromiso":
        return {"commitment": get_object_or_404(Commitment, code=key)}
    if target not in ("hito", "sesion"):
        raise PermissionDenied
    pk = parse_id(key)  # ASCII digits only: "²" passes isdigit() but not int()
    if pk is None:
        raise Http404
    if target == "hito":
        return {
            "milestone": get_object_or_404(Milestone.objects.select_related("commitment"), pk=pk)
        }
    return {"meeting": get_object_or_404(Meeting, pk=pk)}


@login_required
@require_POST
def comment_create(request, target, key):
    about = _comment_target(target, key)
    target_object = next(iter(about.values()))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.post_comment(
                user=request.user,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data.get("parent"),
                **about,
            )
        except REFUSED as error:
            if response := refusal(request, error, form=form):
                return response
        else:
            messages.success(request, _("Se publicó tu comentario."))
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "reviews/comment_form.html",
        {"form": form, "target": target_object},
        status=400,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                services.edit_comment(
                    comment_id=comment.pk, user=request.user, body=form.cleaned_data["body"]
                )
            except REFUSED as error:
                if response := refusal(request, error, form=form):
                    return response
            else:
                messages.success(request, _("Se guardó el cambio de tu comentario."))
                return redirect(comment.get_absolute_url())
        status = 400
    else:
        form, status = CommentEditForm(initial={"body": comment.body}), 200
    return render(
        request,
        "reviews/comment_edit.html",
        {"form": form, "comment": comment, "target": comment.target},
        status=status,
    )


@login_required
@require_POST
def comment_delete(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    if not permissions.can_delete_comment(request.user, comment):
        raise PermissionDenied
    services.delete_comment(comment_id=comment.pk, user=request.user)
    messages.success(request, _("Se eliminó el comentario."))
    return redirect(comment.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_flag(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    if not permissions.can_flag_comment(request.user, comment):
        raise PermissionDenied
    if request.method == "POST":
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                services.flag_comment(
                    comment_id=comment.pk, user=request.user, reason=form.cleaned_data["reason"]
                )
            except REFUSED as error:
                if response := refusal(request, error, form=form):
                    return response
            else:
                messages.success(
                    request, _("Gracias: el equipo del portal revisará el comentario.")
                )
                return redirect(comment.get_absolute_url())
        status = 400
    else:
        form, status = FlagForm(), 200
    return render(
        request,
        "reviews/comment_flag.html",
        {"form": form, "comment": comment, "target": comment.target},
        status=status,
    )


@login_required
@require_safe
def moderation_queue(request):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    page = Paginator(selectors.moderation_queue(), selectors.QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reviews/moderation_queue.html",
        {
            "flagged": page.object_list,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "hidden": selectors.hidden_comments(),
            "form": ModerationForm(),
        },
    )


@login_required
@require_POST
def moderate(request, pk):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "reviews/moderation_refused.html",
            {"form": form, "comment": comment},
            status=400,
        )
    reason = form.cleaned_data["reason"]
    if form.cleaned_data["action"] == "hide":
        services.hide_comment(comment_id=comment.pk, staff_user=request.user, reason=reason)
        messages.success(request, _("Se ocultó el comentario."))
    else:
        services.restore_comment(comment_id=comment.pk, staff_user=request.user, reason=reason)
        messages.success(request, _("El comentario queda visible."))
    return redirect("reviews:moderation_queue")


@login_required
@require_POST
def assess(request, target, pk):
    if target == "informe":
        record = get_object_or_404(ProgressReport.objects.select_related("commitment"), pk=pk)
        about, back = {"progress_report": record}, record.commitment.get_absolute_url()
        anchor = f"#informe-{record.pk}"
    elif target == "hito":
        record = get_object_or_404(Milestone.objects.select_related("commitment"), pk=pk)
        about = {"milestone": record}
        back = reverse("reviews:milestone_review", args=[record.pk])
        anchor = "#evaluaciones"
    else:
        raise PermissionDenied
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.record_assessment(user=request.user, **form.cleaned_data, **about)
        except REFUSED as error:
            if response := refusal(request, error, form=form):
                return response
        else:
            messages.success(request, _("Se registró la evaluación de tu organización."))
            return redirect(back + anchor)
    return render(
        request,
        "reviews/assessment_form.html",
        {"form": form, "record": record, "back": back},
        status=400,
    )


FOLLOW_TARGETS = {
    "compromiso": ("commitment", lambda key: get_object_or_404(Commitment, code=key)),
    "estado": ("state", lambda key: get_object_or_404(State, slug=key)),
    "espacio": ("space", lambda key: get_object_or_404(CoordinationSpace, slug=key)),
}


@login_required
@require_POST
def follow_toggle(request, target, key):
    if target not in FOLLOW_TARGETS:
        raise PermissionDenied
    field, load = FOLLOW_TARGETS[target]
    record = load(key)
    following = services.toggle_follow(user=request.user, **{field: record})  # NotAllowed: 403
    if following:
        messages.success(request, _("Ahora sigues «%(name)s».") % {"name": record})
    else:
        messages.success(request, _("Dejaste de seguir «%(name)s».") % {"name": record})
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(record.get_absolute_url() if hasattr(record, "get_absolute_url") else "home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request):
    preference = NotificationPreference.objects.filter(user=request.user).first()
    current = preference.delivery if preference else NotificationPreference().delivery
    if request.method == "POST":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            services.set_delivery(user=request.user, delivery=form.cleaned_data["delivery"])
            messages.success(request, _("Se guardó tu preferencia de avisos."))
            return redirect("reviews:notification_settings")
        status = 400
    else:
        form, status = DeliveryForm(initial={"delivery": current}), 200
    follows = request.user.follows.select_related("commitment", "state", "space")
    return render(
        request,
        "reviews/notification_settings.html",
        {"form": form, "follows": follows},
        status=status,
    )


@require_safe
def milestone_review(request, pk):
    """A milestone's reported progress beside civil society's assessments, and its comments."""
    try:
        milestone = selectors.milestone_with_assessments(pk)
    except Milestone.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "reviews/milestone_review.html",
        {
            "milestone": milestone,
            "commitment": milestone.commitment,
            "can_assess": permissions.can_assess(request.user),
        },
    )
