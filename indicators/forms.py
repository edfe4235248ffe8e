from django import forms
from django.utils.translation import gettext_lazy as _

MAP_MODE_CHOICES = [
    ("avance", _("Avance promedio de sus compromisos")),
    ("estado", _("Estado de su plan de acción local más reciente")),
]


class DashboardForm(forms.Form):
    """The dashboard's GET choices: which scope's trend to show and what colours the map."""

    ambito = forms.ChoiceField(label=_("Tendencia de"), required=False)
    mapa = forms.ChoiceField(
        label=_("Colorear el mapa por"), required=False, choices=MAP_MODE_CHOICES
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = {scope.value: scope for scope in scopes}
        grouped = {}
        for scope in scopes:
            grouped.setdefault(scope.group, []).append((scope.value, scope.label))
        self.fields["ambito"].choices = [
            (group, options) if group else options[0] for group, options in grouped.items()
        ]

    def choices(self):
        """The valid choices, or the defaults (the nation; completion) for bad or missing ones."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        scope = self.scopes.get(data.get("ambito") or "nacional") or self.scopes["nacional"]
        return scope, data.get("mapa") or "avance"
