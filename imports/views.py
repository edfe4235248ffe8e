"""The import pages: upload, preview (dry run), confirm. Rules live in imports.batches."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ogp_portal import permissions
from ogp_portal.spreadsheets import XLSX_CONTENT_TYPE

from . import batches
from .columns import KINDS
from .forms import ImportForm
from .models import ImportBatch
from .services import Outcome, may_import
from .spreadsheets import template_file


def _importer(request):
    if not permissions.can_import(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    _importer(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        batch = batches.submit_file(
            user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
        return redirect(batch)
    kinds = [kind for kind in KINDS.values() if may_import(request.user, kind)]
    recent = ImportBatch.objects.filter(user=request.user)[:10]
    return render(
        request,
        "imports/start.html",
        {"form": form, "kinds": kinds, "recent": recent},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def template(request, kind):
    _importer(request)
    if kind not in KINDS:
        raise Http404
    if not may_import(request.user, KINDS[kind]):
        raise PermissionDenied
    return FileResponse(
        template_file(KINDS[kind]),
        as_attachment=True,
        filename=f"plantilla-{kind}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _own_batch(request, pk):
    _importer(request)
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.user_id != request.user.pk:
        raise PermissionDenied
    return batch


@login_required
@require_safe
def batch_detail(request, pk):
    batch = _own_batch(request, pk)
    outcome = Outcome.from_dict(batch.outcome) if batch.outcome else None
    state = getattr(getattr(request.user, "membership", None), "state", None)
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "outcome": outcome,
            "rows_done": batches.rows_done(batch) if batch.running else batch.rows_done,
            "kind": KINDS[batch.kind],
            "state": state,
        },
    )


@login_required
@require_POST
def batch_apply(request, pk):
    batch = _own_batch(request, pk)
    batches.confirm_batch(batch=batch, user=request.user)
    return redirect(batch)
