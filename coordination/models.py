from django.db import models
from django.utils.translation import gettext_lazy as _


class CoordinationSpace(models.Model):
    """The national space where federal and state open government actors meet (MX0087)."""

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("compromiso que lo origina"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordination_spaces",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("espacio de coordinación")
        verbose_name_plural = _("espacios de coordinación")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    space = models.ForeignKey(
        CoordinationSpace,
        verbose_name=_("espacio de coordinación"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    date = models.DateTimeField(_("fecha y hora"))
    title = models.CharField(_("título"), max_length=300)
    place = models.CharField(_("lugar"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "date", "title"], name="meeting_unique_per_space_date_title"
            ),
        ]
        indexes = [models.Index(fields=["space", "date"])]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"
