from django.urls import path

from . import views

app_name = "states"

urlpatterns = [
    path("", views.state_list, name="state_list"),
    path("<slug:slug>/", views.state_detail, name="state_detail"),
]
