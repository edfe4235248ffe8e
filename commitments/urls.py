from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("planes/", views.action_plan_list, name="action_plan_list"),
    path("planes/<int:pk>/", views.action_plan_detail, name="action_plan_detail"),
    path("compromisos/", views.commitment_list, name="commitment_list"),
    path("compromisos/<str:code>/", views.commitment_detail, name="commitment_detail"),
]
