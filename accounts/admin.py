from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership

User = get_user_model()

ROLE_HELP = _(
    "El rol decide qué hace la persona en las páginas del portal. El rol de equipo no abre "
    "este panel: para entrar en /admin/ la cuenta necesita además «Es staff» y permisos."
)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "role", "institution", "state"]
        help_texts = {"role": ROLE_HELP}


class MembershipInline(admin.StackedInline):
    model = Membership
    form = MembershipForm
    can_delete = False
    autocomplete_fields = ["institution", "state"]
    fields = ["role", "institution", "state"]


class UserWithMembershipAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
    list_display = [*UserAdmin.list_display, "membership_role"]
    list_select_related = ["membership"]

    @admin.display(description=Membership._meta.get_field("role").verbose_name)
    def membership_role(self, user):
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"


admin.site.unregister(User)
admin.site.register(User, UserWithMembershipAdmin)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "role", "institution", "state"]
    list_filter = ["role", "state"]
    search_fields = ["user__username", "user__email", "institution__name"]
    list_select_related = ["user", "institution", "state"]
    autocomplete_fields = ["user", "institution", "state"]


# --- Organisation members (issue 4) -------------------------------------------

from django.contrib import messages  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from . import services  # noqa: E402
from .models import Invitation, SignupRequest  # noqa: E402


@admin.register(SignupRequest)
class SignupRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation_name", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__email", "requested_institution_name"]
    list_select_related = ["user", "institution", "decided_by"]
    readonly_fields = ["user", "status", "decided_by", "decided_at", "created_at"]
    actions = ["approve", "reject"]

    @admin.action(description=_("Aprobar: dar el rol de revisor de su organización"))
    def approve(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            services.approve_signup(signup_request_id=pk, staff_user=request.user)
        self.message_user(request, _("Solicitudes aprobadas."), messages.SUCCESS)

    @admin.action(description=_("Rechazar"))
    def reject(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            services.reject_signup(signup_request_id=pk, staff_user=request.user)
        self.message_user(request, _("Solicitudes rechazadas."), messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "institution", "created_at", "sent_at", "accepted_at"]
    search_fields = ["email", "institution__name"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]
    fields = ["email", "institution", "link", "sent_at", "created_by", "accepted_by", "accepted_at"]
    readonly_fields = ["link", "sent_at", "created_by", "accepted_by", "accepted_at"]

    @admin.display(
        description=_("enlace de invitación (se envía por correo; también puedes copiarlo)")
    )
    def link(self, invitation):
        if not invitation.pk or invitation.accepted_at:
            return "—"
        return reverse("invitation_accept", args=[services.invitation_token(invitation)])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            services.mail_invitations_after_commit()
