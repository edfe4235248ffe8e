"""Pages of the reporting rounds: parse, authorise (ogp_portal.permissions), render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commitments.forms_progress import ProgressReportForm
from commitments.selectors import editable_commitments
from ogp_portal import permissions
from ogp_portal.tables import csv_lines

from . import round_selectors as selectors
from . import round_services as services
from .round_forms import BoardFilterForm, CompareForm, RoundOpenForm, RoundReviewForm
from .round_models import ReminderOptOut, ReportingRound
from .round_release import board_resource, build_release, release_name

ENTRIES_PER_PAGE = 100


def _service_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, found in error.error_dict.items():
            form.add_error(field if field in form.fields else None, found)
    else:
        form.add_error(None, error)


@require_safe
def round_list(request):
    return render(
        request,
        "coordination/round_list.html",
        {
            "rounds": selectors.rounds(),
            "can_manage": permissions.can_manage_rounds(request.user),
            "closed_rounds": selectors.rounds().filter(status=ReportingRound.Status.CLOSED),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_open(request):
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Se abrió la ronda «%(name)s».") % {"name": round_.name})
            return redirect(round_)
    status = 400 if request.method == "POST" else 200
    return render(request, "coordination/round_open.html", {"form": form}, status=status)


@require_safe
def round_board(request, pk):
    round_ = selectors.round_or_404(pk)
    form = BoardFilterForm(
        request.GET,
        institutions=selectors.board_institutions(round_),
        states=selectors.board_states(round_),
    )
    filters = form.filters()
    entries = selectors.board_entries(round_, **filters)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            csv_lines(board_resource(entries)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="ronda-{round_.pk}.csv"'
        return response
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    editable = set()
    if request.user.is_authenticated and round_.is_open:
        ids = [entry.commitment_id for entry in page.object_list]
        editable = set(
            editable_commitments(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        )
    return render(
        request,
        "coordination/round_board.html",
        {
            "round": round_,
            "form": form,
            "group": filters["group"],
            "counts": selectors.board_counts(round_),
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "entries": page.object_list,
            "editable": editable,
            "can_review": round_.is_open and permissions.can_assess(request.user),
            "can_manage": permissions.can_manage_rounds(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_submit(request, pk, code):
    round_ = selectors.round_or_404(pk)
    entry = selectors.entry_for_submission(round_, code)
    if not permissions.can_submit_to_round(request.user, entry):
        raise PermissionDenied
    form = ProgressReportForm(
        request.POST or None, request.FILES or None, commitment=entry.commitment
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(
                entry=entry,
                user=request.user,
                date=form.cleaned_data["date"],
                summary=form.cleaned_data["summary"],
                **form.evidence(),
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(
                request,
                _("Se entregó el informe de %(code)s a la ronda.")
                % {"code": entry.commitment.code},
            )
            return redirect(round_)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/round_submit.html",
        {"round": round_, "entry": entry, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_review(request, pk, code):
    round_ = selectors.round_or_404(pk)
    entry = selectors.entry_for_submission(round_, code)
    if not permissions.can_review_round_entry(request.user, entry):
        raise PermissionDenied
    form = RoundReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_entry(entry=entry, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Se registró la valoración de su organización."))
            return redirect(round_)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coordination/round_review.html",
        {"round": round_, "entry": entry, "form": form},
        status=status,
    )


@login_required
@require_POST
def round_close(request, pk):
    round_ = selectors.round_or_404(pk)
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    try:
        services.close_round(round=round_, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(round_)
    messages.success(request, _("La ronda se cerró y quedó congelada."))
    return redirect("coordination:round_summary", pk=round_.pk)


def _closed_round(pk):
    round_ = selectors.round_or_404(pk)
    if round_.is_open:
        raise Http404(_("La ronda sigue abierta: su registro se publica al cerrarla."))
    return round_


@require_safe
def round_summary(request, pk):
    """The printable summary of a closed round's frozen record."""
    round_ = _closed_round(pk)
    return render(
        request,
        "coordination/round_summary.html",
        {
            "round": round_,
            "summary": selectors.frozen_summary(round_),
            "commitments": selectors.frozen_commitments(round_),
        },
    )


@require_safe
def round_release(request, pk):
    round_ = _closed_round(pk)
    return FileResponse(
        build_release(round_),
        as_attachment=True,
        filename=f"{release_name(round_)}.zip",
        content_type="application/zip",
    )


@require_safe
def round_compare(request):
    closed = ReportingRound.objects.filter(status=ReportingRound.Status.CLOSED)
    form = CompareForm(request.GET or None, rounds=closed)
    rows = only_before = None
    if form.is_valid():
        rows, only_before = selectors.comparison(
            form.cleaned_data["antes"], form.cleaned_data["despues"]
        )
    return render(
        request,
        "coordination/round_compare.html",
        {"form": form, "rows": rows, "only_before": only_before},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request):
    """A person turns reporting-round reminders off or back on."""
    opted_out = ReminderOptOut.objects.filter(user=request.user).exists()
    if request.method == "POST":
        services.set_reminder_opt_out(
            user=request.user, opted_out=request.POST.get("recibir") != "1"
        )
        messages.success(request, _("Se guardó su preferencia de recordatorios."))
        return redirect("coordination:reminder_settings")
    return render(request, "coordination/reminder_settings.html", {"opted_out": opted_out})
