from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ogp_portal.roles import Role

__all__ = ["Membership", "Role"]


class Membership(models.Model):
    """Who a user works for and what they may do: one per user.

    The state is the institution's for state-government institutions; it is what
    gives an editor the commitments of that state's local action plans.
    """

    Role = Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("entidad federativa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Se toma de la institución cuando es estatal."),
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=~Q(role=Role.GOVERNMENT_EDITOR) | Q(institution__isnull=False),
                name="membership_editor_has_institution",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def save(self, *args, **kwargs):
        # A state institution fixes the state; the field is never left to disagree with it.
        if self.institution_id and self.institution.state_id:
            self.state_id = self.institution.state_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.role == Role.GOVERNMENT_EDITOR and self.institution_id is None:
            raise ValidationError(
                {"institution": _("Un editor de gobierno debe pertenecer a una institución.")}
            )
        institution_state_id = self.institution.state_id if self.institution_id else None
        if institution_state_id and self.state_id and self.state_id != institution_state_id:
            raise ValidationError({"state": _("La entidad debe ser la de la institución.")})


class SignupRequest(models.Model):
    """A person who signed up for a civil-society or academic organisation, awaiting staff.

    Until staff approve it the user has no membership, so they read like anyone else
    and cannot comment or assess. Approval gives them the reviewer role.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        APPROVED = "approved", _("Aprobada")
        REJECTED = "rejected", _("Rechazada")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="signup_request",
    )
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("organización"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signup_requests",
    )
    requested_institution_name = models.CharField(
        _("organización nueva solicitada"), max_length=300, blank=True
    )
    requested_institution_kind = models.CharField(
        _("tipo de la organización nueva"), max_length=20, blank=True
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decidida por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decidida"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    class Meta:
        verbose_name = _("solicitud de registro")
        verbose_name_plural = _("solicitudes de registro")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="signup_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(requested_institution_name=""),
                name="signup_request_names_an_organisation",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.user} · {self.organisation_name}"

    @property
    def organisation_name(self):
        return str(self.institution) if self.institution_id else self.requested_institution_name


class Invitation(models.Model):
    """Staff invite a person to join an organisation as a reviewer: one signed link, used once."""

    email = models.EmailField(_("correo electrónico"))
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("organización"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aceptada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )
    accepted_at = models.DateTimeField(_("aceptada"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    # The invitation e-mail is an outbox: unsent rows are mailed once (accounts.mailing).
    sent_at = models.DateTimeField(_("enviada por correo"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} · {self.institution}"

    def clean(self):
        if self.institution_id and self.institution.kind not in {"civil_society", "academia"}:
            raise ValidationError(
                {"institution": _("Solo organizaciones de sociedad civil o academia.")}
            )
