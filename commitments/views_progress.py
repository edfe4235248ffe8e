"""Pages where responsible editors record progress: thin adapters over `services`.

A page first checks `permissions` (a person who may not edit does not see the forms);
the services check again and own every rule. Their refusals are answered by
`ogp_portal.service_pages.refusal`: form errors, the 403 page, this module's 409 pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ogp_portal import permissions
from ogp_portal.service_errors import ServiceError
from ogp_portal.service_pages import refusal

from . import selectors, services
from .forms_progress import (
    MilestoneAddForm,
    MilestoneMoveForm,
    MilestoneProgressForm,
    ProgressReportForm,
)
from .models import Commitment, Evidence, Milestone


def _editable_commitment(request, code):
    """The commitment, or 403 when the user may not record its progress."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("action_plan", "action_plan__state"), code=code
    )
    if not permissions.can_edit_commitment(request.user, commitment):
        raise PermissionDenied
    return commitment


def _edit_page(request, commitment, *, report_form=None, milestone_form=None, status=200):
    return render(
        request,
        "commitments/commitment_edit.html",
        {
            "commitment": commitment,
            "milestones": selectors.milestones_with_evidence(commitment),
            "report_form": report_form or ProgressReportForm(commitment=commitment),
            "milestone_form": milestone_form or MilestoneAddForm(commitment=commitment),
        },
        status=status,
    )


REFUSED = (ServiceError, ValidationError)


@login_required
@require_safe
def commitment_edit(request, code):
    commitment = _editable_commitment(request, code)
    return _edit_page(request, commitment)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_update(request, code, pk):
    commitment = _editable_commitment(request, code)
    milestone = selectors.milestone_for_edit(commitment=commitment, pk=pk)
    if request.method == "POST":
        form = MilestoneProgressForm(request.POST, request.FILES, milestone=milestone)
        if form.is_valid():
            try:
                services.update_milestone_progress(
                    milestone_id=milestone.pk, user=request.user, **form.progress()
                )
            except REFUSED as error:
                response = refusal(
                    request,
                    error,
                    form=form,
                    conflict_page=lambda conflict: _conflict_page(
                        request, commitment, form, conflict
                    ),
                )
                if response:
                    return response
            else:
                messages.success(
                    request, _("Se guardó el avance del hito «%(title)s».") % {"title": milestone}
                )
                return redirect("commitments:commitment_edit", code=commitment.code)
        status = 400
    else:
        form = MilestoneProgressForm(milestone=milestone)
        status = 200
    return render(
        request,
        "commitments/milestone_edit.html",
        {"commitment": commitment, "milestone": milestone, "form": form},
        status=status,
    )


def _conflict_page(request, commitment, form, conflict):
    """HTTP 409: what the other person changed, and the user's input ready to send again."""
    details = selectors.milestone_conflict(
        milestone_id=conflict.milestone_id, started_version=conflict.started_version
    )
    milestone = details["milestone"]
    data = request.POST.copy()
    data[form.add_prefix("version")] = milestone.version
    retry = MilestoneProgressForm(data, milestone=milestone)
    # Files cannot be put back in a file field; the page asks to attach it again.
    lost_file = bool(request.FILES)
    statuses = dict(Milestone.Status.choices)
    for row in details["fields"]:
        if row["name"] not in form.fields:
            row["mine"] = None  # e.g. the position: changed by reordering, not by this form
            continue
        sent = request.POST.get(form.add_prefix(row["name"]), "")
        row["mine"] = statuses.get(sent, sent) if row["name"] == "status" else sent
    return render(
        request,
        "commitments/milestone_conflict.html",
        {
            "commitment": commitment,
            "conflict": details,
            "milestone": milestone,
            "form": retry,
            "lost_file": lost_file,
        },
        status=409,
    )


@login_required
@require_POST
def milestone_add(request, code):
    commitment = _editable_commitment(request, code)
    form = MilestoneAddForm(request.POST, commitment=commitment)
    if form.is_valid():
        try:
            milestone = services.add_milestone(
                commitment=commitment, user=request.user, **form.cleaned_data
            )
        except REFUSED as error:
            if response := refusal(request, error, form=form):
                return response
        else:
            messages.success(request, _("Se agregó el hito «%(title)s».") % {"title": milestone})
            return redirect("commitments:commitment_edit", code=commitment.code)
    return _edit_page(request, commitment, milestone_form=form, status=400)


@login_required
@require_POST
def milestone_move(request, code, pk):
    commitment = _editable_commitment(request, code)
    milestone = selectors.milestone_for_edit(commitment=commitment, pk=pk)
    form = MilestoneMoveForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "commitments/move_refused.html",
            {"commitment": commitment, "milestone": milestone, "conflict": False},
            status=400,
        )
    try:
        services.move_milestone(milestone_id=milestone.pk, user=request.user, **form.cleaned_data)
    except REFUSED as error:
        return refusal(
            request,
            error,
            conflict_page=lambda conflict: render(
                request,
                "commitments/move_refused.html",
                {"commitment": commitment, "milestone": milestone, "conflict": True},
                status=409,
            ),
        ) or redirect("commitments:commitment_edit", code=commitment.code)
    messages.success(request, _("Se cambió el orden de los hitos."))
    return redirect("commitments:commitment_edit", code=commitment.code)


@login_required
@require_POST
def progress_report_add(request, code):
    commitment = _editable_commitment(request, code)
    form = ProgressReportForm(request.POST, request.FILES, commitment=commitment)
    if form.is_valid():
        try:
            services.add_progress_report(
                commitment=commitment,
                user=request.user,
                date=form.cleaned_data["date"],
                summary=form.cleaned_data["summary"],
                **form.evidence(),
            )
        except REFUSED as error:
            if response := refusal(request, error, form=form):
                return response
        else:
            messages.success(request, _("Se publicó el informe de avance."))
            return redirect("commitments:commitment_edit", code=commitment.code)
    return _edit_page(request, commitment, report_form=form, status=400)


@require_safe
def evidence_download(request, pk):
    """Serve an uploaded evidence file as a download, never rendered by the browser."""
    evidence = get_object_or_404(Evidence, pk=pk, kind=Evidence.Kind.FILE)
    if not permissions.can_view_evidence(request.user, evidence):
        raise PermissionDenied
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or "evidencia",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_safe
def my_commitments(request):
    membership = permissions.membership_of(request.user)
    return render(
        request,
        "commitments/my_commitments.html",
        {
            "commitments": selectors.commitments_responsible_for(request.user),
            "membership": membership,
            "is_staff": permissions.is_portal_staff(request.user),
            "can_import": permissions.can_import(request.user),
        },
    )
