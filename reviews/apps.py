from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Revisión ciudadana: comentarios, evaluaciones y avisos")

    def ready(self):
        # The progress services announce explicitly; the notification outbox is written here.
        from ogp_portal import announcements

        from . import events

        announcements.register(announcements.PROGRESS_REPORTED, events.progress_reported)
        announcements.register(announcements.MILESTONE_UPDATED, events.milestone_updated)
