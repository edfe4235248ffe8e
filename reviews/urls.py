from django.urls import path

from . import feeds, views

app_name = "reviews"

urlpatterns = [
    # Writes: each one is in the permission matrix test.
    path("comentarios/nuevo/<str:target>/<str:key>/", views.comment_create, name="comment_create"),
    path("comentarios/<int:pk>/editar/", views.comment_edit, name="comment_edit"),
    path("comentarios/<int:pk>/eliminar/", views.comment_delete, name="comment_delete"),
    path("comentarios/<int:pk>/reportar/", views.comment_flag, name="comment_flag"),
    path("moderacion/", views.moderation_queue, name="moderation_queue"),
    path("moderacion/<int:pk>/", views.moderate, name="moderate"),
    path("evaluaciones/<str:target>/<int:pk>/", views.assess, name="assess"),
    path("seguir/<str:target>/<str:key>/", views.follow_toggle, name="follow_toggle"),
    path("avisos/", views.notification_settings, name="notification_settings"),
    # Public reads.
    path("hitos/<int:pk>/", views.milestone_review, name="milestone_review"),
    path(
        "compromisos/<str:code>/actualizaciones.atom",
        feeds.CommitmentUpdatesFeed(),
        name="commitment_updates_feed",
    ),
    path(
        "compromisos/<str:code>/comentarios.atom",
        feeds.CommitmentCommentsFeed(),
        name="commitment_comments_feed",
    ),
    path(
        "estados/<slug:slug>/actualizaciones.atom",
        feeds.StateUpdatesFeed(),
        name="state_updates_feed",
    ),
    path(
        "estados/<slug:slug>/comentarios.atom",
        feeds.StateCommentsFeed(),
        name="state_comments_feed",
    ),
]
