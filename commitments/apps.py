from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Planes de acción y compromisos")

    def ready(self):
        from . import history  # noqa: F401  (connects the history signal)
