from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class State(models.Model):
    """One of Mexico's 32 federal entities, keyed by its INEGI code."""

    inegi_code = models.CharField(
        _("clave INEGI"),
        max_length=2,
        unique=True,
        help_text=_("Clave geoestadística de dos dígitos (01 a 32)."),
    )
    official_name = models.CharField(_("nombre oficial"), max_length=100, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=60, unique=True)
    abbreviation = models.CharField(_("abreviatura"), max_length=5, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")
        ordering = ["inegi_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inegi_code__regex=r"^(0[1-9]|[12][0-9]|3[0-2])$"),
                name="state_inegi_code_01_to_32",
            ),
        ]

    def __str__(self):
        return self.short_name
