from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API pública")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from indicators.services import indicators_recomputed
        from ogp_portal import outbox

        from .v1.response_cache import bump_generation, on_data_change, on_indicators_recomputed

        outbox.register(outbox.API_CACHE_INVALIDATION, bump_generation)

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(on_data_change, dispatch_uid=f"api-response-cache-{signal!r}")
        # The recompute writes with bulk upserts and raw SQL: no model signal fires.
        indicators_recomputed.connect(
            on_indicators_recomputed, dispatch_uid="api-response-cache-indicators"
        )
