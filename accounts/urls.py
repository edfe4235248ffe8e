"""Log in, log out and password reset with Django's own views and the portal's templates.

Names are not namespaced because Django's auth views reverse them by bare name.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm
from .lockout import ResetPasswordForm

urlpatterns = [
    path(
        "entrar/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "contrasena/restablecer/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "contrasena/restablecer/enviado/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "contrasena/restablecer/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=ResetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "contrasena/restablecer/listo/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Organisation members join (issue 4): sign up, staff queue, invitation links.
    path("registro/", views.signup, name="signup"),
    path("solicitudes/", views.signup_queue, name="signup_queue"),
    path("solicitudes/<int:pk>/decidir/", views.signup_decide, name="signup_decide"),
    path("invitacion/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
