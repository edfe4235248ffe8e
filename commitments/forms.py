from django import forms
from django.utils.translation import gettext_lazy as _


class CommitmentFilterForm(forms.Form):
    """The GET filters of the commitments list; the choices come from the view's selectors."""

    cycle = forms.TypedChoiceField(label=_("Ciclo"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("Área de política"), required=False)
    q = forms.CharField(
        label=_("Buscar por clave, título o texto"),
        required=False,
        max_length=100,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, cycles, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", _("Todos los ciclos"))] + [
            (year, year) for year in cycles
        ]
        self.fields["area"].choices = [("", _("Todas las áreas"))] + [
            (area.slug, area.name) for area in areas
        ]

    def filters(self):
        """The filters that validated; a bad value in one field does not void the others."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {
            "cycle": self.cleaned_data.get("cycle"),
            "area": self.cleaned_data.get("area") or None,
            "q": self.cleaned_data.get("q") or "",
        }
