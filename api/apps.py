from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API pública")

    def ready(self):
        from ogp_portal import outbox

        from .v1.response_cache import bump_generation

        # Every write path calls outbox.data_changed() (after commit): no model signals.
        outbox.register(outbox.DATA_CHANGED, bump_generation)
