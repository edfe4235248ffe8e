from django.urls import path

from . import round_views, views
from .feeds import MeetingFeed

app_name = "coordination"

urlpatterns = [
    path("", views.space, name="space"),
    path("sesiones/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("sesiones/<int:pk>/imprimir/", views.meeting_print, name="meeting_print"),
    path("acuerdos/", views.agreement_list, name="agreement_list"),
    path("documentos/<int:pk>/", views.document_download, name="document_download"),
    path("calendario.ics", views.calendar_ics, name="calendar"),
    path("feed/", MeetingFeed(), name="feed"),
    # Reporting rounds (issue 14); writes are in the permission tests.
    path("rondas/", round_views.round_list, name="round_list"),
    path("rondas/nueva/", round_views.round_open, name="round_open"),
    path("rondas/comparar/", round_views.round_compare, name="round_compare"),
    path("rondas/recordatorios/", round_views.reminder_settings, name="reminder_settings"),
    path("rondas/<int:pk>/", round_views.round_board, name="round_board"),
    path(
        "rondas/<int:pk>/compromisos/<str:code>/entregar/",
        round_views.round_submit,
        name="round_submit",
    ),
    path(
        "rondas/<int:pk>/compromisos/<str:code>/validar/",
        round_views.round_review,
        name="round_review",
    ),
    path("rondas/<int:pk>/cerrar/", round_views.round_close, name="round_close"),
    path("rondas/<int:pk>/resumen/", round_views.round_summary, name="round_summary"),
    path("rondas/<int:pk>/datos.zip", round_views.round_release, name="round_release"),
]
