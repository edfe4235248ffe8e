from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GOVERNMENT_EDITOR = "government_editor", _("Editor de gobierno")
    REVIEWER = "reviewer", _("Revisor de sociedad civil")
    ANALYST = "analyst", _("Analista")
    STAFF = "staff", _("Equipo del portal")


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
