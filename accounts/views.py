"""Joining as an organisation member: sign up, staff approval queue, invitation links."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ogp_portal.permissions import can_review_signups

from . import services
from .forms_signup import InvitationAcceptForm, SignupForm
from .models import SignupRequest

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.sign_up(
                    email=data["email"],
                    name=data["name"],
                    password=data["password"],
                    institution=data["institution"],
                    new_name=data["new_name"],
                    new_kind=data["new_kind"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(request, "accounts/signup_done.html")
        status = 400
    else:
        form, status = SignupForm(), 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def _staff_only(request):
    if not can_review_signups(request.user):
        raise PermissionDenied


@login_required
@require_safe
def signup_queue(request):
    _staff_only(request)
    pending = SignupRequest.objects.filter(status=SignupRequest.Status.PENDING).select_related(
        "user", "institution"
    )
    return render(request, "accounts/signup_queue.html", {"pending": pending})


@login_required
@require_POST
def signup_decide(request, pk):
    _staff_only(request)
    signup_request = get_object_or_404(SignupRequest, pk=pk)
    if request.POST.get("decision") == "approve":
        services.approve_signup(signup_request_id=signup_request.pk, staff_user=request.user)
        messages.success(
            request, _("Se aprobó la solicitud de %(name)s.") % {"name": signup_request.user}
        )
    else:
        services.reject_signup(signup_request_id=signup_request.pk, staff_user=request.user)
        messages.success(
            request, _("Se rechazó la solicitud de %(name)s.") % {"name": signup_request.user}
        )
    return redirect("signup_queue")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST)
        if form.is_valid():
            try:
                user = services.accept_invitation(
                    token=token,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password"],
                )
            except ValidationError:
                return render(request, "accounts/invitation_invalid.html", status=410)
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _("Bienvenida o bienvenido: ya puedes comentar y evaluar como %(org)s.")
                % {"org": invitation.institution},
            )
            return redirect("home")
        status = 400
    else:
        form, status = InvitationAcceptForm(), 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=status,
    )
