from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgreementStatus


class AgreementFilterForm(forms.Form):
    """The agreements list's filters; invalid values are ignored rather than an error."""

    estado = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[("", _("Todos"))] + list(AgreementStatus.choices),
    )
    vencidos = forms.BooleanField(label=_("Solo vencidos"), required=False)
    responsable = forms.ModelChoiceField(
        label=_("Institución responsable"),
        required=False,
        queryset=None,
        empty_label=_("Todas"),
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsable"].queryset = institutions

    def filters(self):
        """The valid filters only: a bad value in one field does not drop the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("estado", ""),
            "overdue": data.get("vencidos", False),
            "responsible": data.get("responsable"),
        }
