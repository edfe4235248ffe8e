"""Forms for organisation members joining the portal."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commitments.models import Institution

from .services import ORGANISATION_KINDS, organisations


class PasswordFieldsMixin(forms.Form):
    name = forms.CharField(label=_("Nombre completo"), max_length=150)
    password = forms.CharField(
        label=_("Contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class SignupForm(PasswordFieldsMixin):
    email = forms.EmailField(label=_("Correo electrónico"))
    field_order = ["name", "email", "password", "institution", "new_name", "new_kind"]
    institution = forms.ModelChoiceField(
        label=_("Organización"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("— Mi organización no está en la lista —"),
    )
    new_name = forms.CharField(
        label=_("Nombre de la organización nueva"),
        max_length=300,
        required=False,
        help_text=_("Solo si tu organización no está en la lista."),
    )
    new_kind = forms.ChoiceField(
        label=_("Tipo de la organización nueva"),
        choices=[(kind.value, kind.label) for kind in ORGANISATION_KINDS],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = organisations()

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        User = get_user_model()
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError(_("Ya existe una cuenta con este correo."))
        return email

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("institution") and not cleaned.get("new_name"):
            raise ValidationError(_("Elige tu organización o escribe el nombre de una nueva."))
        return cleaned


class InvitationAcceptForm(PasswordFieldsMixin):
    pass
