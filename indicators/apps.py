from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicadores de avance")

    def ready(self):
        # Progress writes in the apps below ask for recomputes through the shared outbox.
        from ogp_portal import outbox

        from .outbox import request_recompute

        outbox.register(outbox.RECOMPUTE_REQUESTED, request_recompute)
