from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from . import selectors
from .calendar import meetings_calendar
from .forms import AgreementFilterForm
from .models import MeetingDocument

AGREEMENTS_PER_PAGE = 25


@require_safe
def space(request):
    page = selectors.space_page(space=selectors.national_space())
    return render(request, "coordination/space.html", {"page": page})


@require_safe
def meeting_detail(request, pk):
    meeting = selectors.meeting_with_record(pk)
    return render(request, "coordination/meeting_detail.html", {"meeting": meeting})


@require_safe
def meeting_print(request, pk):
    meeting = selectors.meeting_with_record(pk)
    return render(request, "coordination/meeting_print.html", {"meeting": meeting})


@require_safe
def agreement_list(request):
    form = AgreementFilterForm(request.GET, institutions=selectors.responsible_institutions())
    agreements = selectors.search_agreements(**form.filters())
    page = Paginator(agreements, AGREEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/agreement_list.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "agreements": page.object_list,
        },
    )


@require_safe
def document_download(request, pk):
    """Serve a meeting document as a download, with the type found when it was uploaded."""
    document = get_object_or_404(MeetingDocument, pk=pk)
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(document.title) or 'documento'}.{extension}",
        content_type=document.content_type or "application/octet-stream",
    )


@require_safe
def calendar_ics(request):
    body = meetings_calendar(selectors.calendar_meetings(), absolute_url=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sesiones-coordinacion.ics"'
    return response
