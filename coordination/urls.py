from django.urls import path

from . import views
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
]
