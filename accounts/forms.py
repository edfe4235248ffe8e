from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with the portal's wording."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "El usuario o la contraseña no son correctos. Tras varios intentos fallidos "
            "el acceso se bloquea durante un tiempo."
        ),
    }
