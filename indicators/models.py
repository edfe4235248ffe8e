from django.db import models
from django.utils.translation import gettext_lazy as _


class RecomputeRequest(models.Model):
    """Outbox mark: this commitment's indicators must be recomputed.

    Written in the same transaction as the edit, so a lost Celery message is
    healed by the sweep; one row per commitment collapses bursts of edits.
    """

    commitment = models.OneToOneField(
        "commitments.Commitment",
        verbose_name=_("compromiso"),
        on_delete=models.CASCADE,
        related_name="recompute_request",
    )
    requested_at = models.DateTimeField(_("solicitado"), db_index=True)

    class Meta:
        verbose_name = _("recálculo pendiente")
        verbose_name_plural = _("recálculos pendientes")

    def __str__(self):
        return f"{self.commitment_id} @ {self.requested_at:%Y-%m-%d %H:%M:%S}"
