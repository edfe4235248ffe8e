from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What a search result is, in the order the results page groups them."""

    COMMITMENT = "commitment", _("Compromisos")
    MILESTONE = "milestone", _("Hitos")
    PROGRESS_REPORT = "progress_report", _("Informes de avance")
    MEETING = "meeting", _("Sesiones")
    AGREEMENT = "agreement", _("Acuerdos")
    EVIDENCE = "evidence", _("Evidencias")
    ACTION_PLAN = "action_plan", _("Planes de acción")
    INSTITUTION = "institution", _("Instituciones")


class SearchEntry(models.Model):
    """One searchable thing, kept current by database triggers on its source table.

    Rows are written only by the triggers of migration 0001 (INSERT ... SELECT from the
    `search_source_<kind>` views), so admin edits and bulk writes are found too. On
    PostgreSQL the table also has generated `document_es`/`document_en` tsvector columns
    and a `label_plain` column with GIN indexes; on SQLite the FTS5 table `search_fts`
    holds the stems. Neither is a model field: Django never writes them.
    """

    kind = models.CharField(_("tipo"), max_length=20, choices=EntryKind.choices)
    object_id = models.BigIntegerField(_("identificador del registro"))
    code = models.CharField(_("clave"), max_length=40, blank=True)
    title = models.TextField(_("título"), blank=True)
    title_en = models.TextField(_("título en inglés"), blank=True)
    body = models.TextField(_("texto"), blank=True)
    parent_id = models.BigIntegerField(_("registro del que depende"), null=True, blank=True)
    date = models.DateField(_("fecha"), null=True, blank=True)
    plan_id = models.BigIntegerField(_("plan de acción"), null=True, blank=True)
    state_id = models.BigIntegerField(_("entidad federativa"), null=True, blank=True)
    cycle_year = models.PositiveSmallIntegerField(_("ciclo"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrada del buscador")
        verbose_name_plural = _("entradas del buscador")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_entry_one_per_object"
            ),
        ]
        indexes = [
            models.Index(fields=["plan_id"], name="search_entry_plan"),
            models.Index(fields=["state_id"], name="search_entry_state"),
            models.Index(fields=["cycle_year"], name="search_entry_cycle"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.code} {self.title[:60]}".strip()
