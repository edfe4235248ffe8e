from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Revisión ciudadana: comentarios, evaluaciones y avisos")

    def ready(self):
        from . import signals  # noqa: F401  (progress updates become notification events)
