from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .columns import KINDS


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Revisando")
    CHECKED = "checked", _("Revisado")
    REFUSED = "refused", _("Rechazado")
    APPLYING = "applying", _("Aplicando")
    APPLIED = "applied", _("Aplicado")
    FAILED = "failed", _("No aplicado")


class ImportBatch(models.Model):
    """One uploaded file: its dry run, then its apply. The file is kept until the apply ends."""

    Status = ImportStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién importa"),
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    kind = models.CharField(
        _("qué se importa"),
        max_length=20,
        choices=[(kind.name, kind.title) for kind in KINDS.values()],
    )
    file = models.FileField(_("archivo"), upload_to="importaciones/", max_length=200, blank=True)
    file_name = models.CharField(_("nombre del archivo"), max_length=200)
    status = models.CharField(
        _("estado"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    # A file refused as a whole: the reason, in Spanish.
    refusal = models.TextField(_("motivo del rechazo"), blank=True)
    rows_done = models.PositiveIntegerField(_("filas leídas"), default=0)
    rows_expected = models.PositiveIntegerField(_("filas estimadas"), null=True, blank=True)
    # The API asked for the apply to follow a dry run without errors (large files).
    apply_requested = models.BooleanField(_("aplicar tras la revisión"), default=False)
    # The Outcome of the dry run and, once applied, of the apply (imports.services).
    outcome = models.JSONField(_("resultado"), default=dict, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_batch_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=list(KINDS)), name="import_batch_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("imports:batch", args=[self.pk])

    @property
    def running(self):
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)

    @property
    def progress_percent(self):
        if not self.rows_expected:
            return None
        return min(100, round(100 * self.rows_done / self.rows_expected))
