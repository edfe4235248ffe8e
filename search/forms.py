from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EntryKind
from .text import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    """The GET parameters of /buscar/; the plan, state and cycle choices come from the view."""

    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        strip=True,
        help_text=_(
            'Sin importar acentos. Use "comillas" para una frase, -palabra para excluir y or.'
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Todos los tipos")), *EntryKind.choices]
    )
    plan = forms.TypedChoiceField(
        label=_("Plan de acción"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=_("Entidad federativa"), required=False)
    cycle = forms.TypedChoiceField(label=_("Ciclo"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, plans, states, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.state_ids = {state.slug: state.pk for state in states}
        self.fields["plan"].choices = [("", _("Todos los planes"))] + [
            (plan.pk, str(plan)) for plan in plans
        ]
        self.fields["state"].choices = [("", _("Todas las entidades"))] + [
            (state.slug, state.short_name) for state in states
        ]
        self.fields["cycle"].choices = [("", _("Todos los ciclos"))] + [
            (year, year) for year in cycles
        ]

    def search_arguments(self):
        """The arguments of selectors.search from the fields that validated."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        kind = data.get("type")
        return {
            "kinds": (kind,) if kind else (),
            "plan": data.get("plan"),
            "state": self.state_ids.get(data.get("state")),
            "cycle": data.get("cycle"),
        }
