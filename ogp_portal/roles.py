"""What a member of the portal may be: below every app, so the permission rules
(`ogp_portal.permissions`) and accounts' models share one definition."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GOVERNMENT_EDITOR = "government_editor", _("Editor de gobierno")
    REVIEWER = "reviewer", _("Revisor de sociedad civil")
    ANALYST = "analyst", _("Analista")
    STAFF = "staff", _("Equipo del portal")
