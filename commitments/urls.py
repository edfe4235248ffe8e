from django.urls import path

from . import views, views_progress

app_name = "commitments"

urlpatterns = [
    path("planes/", views.action_plan_list, name="action_plan_list"),
    path("planes/<int:pk>/", views.action_plan_detail, name="action_plan_detail"),
    path("compromisos/", views.commitment_list, name="commitment_list"),
    path("compromisos/<str:code>/", views.commitment_detail, name="commitment_detail"),
    # Progress editing (writes: each one is in the permission matrix test).
    path("compromisos/<str:code>/editar/", views_progress.commitment_edit, name="commitment_edit"),
    path(
        "compromisos/<str:code>/hitos/<int:pk>/avance/",
        views_progress.milestone_update,
        name="milestone_update",
    ),
    path(
        "compromisos/<str:code>/hitos/<int:pk>/mover/",
        views_progress.milestone_move,
        name="milestone_move",
    ),
    path("compromisos/<str:code>/hitos/nuevo/", views_progress.milestone_add, name="milestone_add"),
    path(
        "compromisos/<str:code>/informes/nuevo/",
        views_progress.progress_report_add,
        name="progress_report_add",
    ),
    path(
        "evidencias/<int:pk>/descargar/",
        views_progress.evidence_download,
        name="evidence_download",
    ),
    path("mis-compromisos/", views_progress.my_commitments, name="my_commitments"),
]
