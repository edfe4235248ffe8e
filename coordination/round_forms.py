"""Forms of the reporting-round pages: they parse; the rules live in round_services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commitments.models import ActionPlan, Commitment

from .round_models import EntryStatus, ReviewOutcome, ReviewVerdict, RoundScope


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundOpenForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre de la ronda"),
        max_length=200,
        help_text=_("Por ejemplo: «Segundo informe de avance 2020»."),
    )
    scope = forms.ChoiceField(
        label=_("Alcance"), choices=RoundScope.choices, widget=forms.RadioSelect
    )
    action_plan = forms.ModelChoiceField(
        label=_("Plan de acción"),
        queryset=ActionPlan.objects.select_related("state").order_by("-cycle_year", "title"),
        required=False,
        help_text=_("Para una ronda sobre un plan nacional o el plan local de una entidad."),
    )
    commitments = forms.CharField(
        label=_("Claves de los compromisos"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Para una ronda sobre compromisos elegidos: claves separadas por comas."),
    )
    opens_on = forms.DateField(label=_("Apertura"), widget=DateInput)
    deadline = forms.DateField(
        label=_("Fecha límite"),
        widget=DateInput,
        help_text=_("Un informe hasta las 23:59:59, hora del centro de México, llega a tiempo."),
    )
    validation_ends_on = forms.DateField(
        label=_("Fin de la validación por la sociedad civil"), widget=DateInput
    )
    remind_days_before = forms.IntegerField(
        label=_("Días de aviso antes de la fecha límite"), min_value=0, max_value=60, initial=7
    )

    def clean_commitments(self):
        codes = [code for code in re.split(r"[\s,;]+", self.cleaned_data["commitments"]) if code]
        if not codes:
            return []
        found = dict(Commitment.objects.filter(code__in=codes).values_list("code", "pk").order_by())
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                _("No existen estas claves: %(codes)s."),
                code="unknown_codes",
                params={"codes": ", ".join(unknown[:20])},
            )
        return list(found.values())


class RoundReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Valoración de su organización"),
        choices=ReviewVerdict.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Razones"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Obligatorias si su organización cuestiona el avance."),
    )


GROUP_CHOICES = [
    ("", _("Sin agrupar")),
    ("institucion", _("Por institución")),
    ("entidad", _("Por entidad federativa")),
]


class BoardFilterForm(forms.Form):
    """The board's filters; a bad value is ignored, the others still apply."""

    estado = forms.ChoiceField(
        label=_("Entrega"), required=False, choices=[("", _("Todas"))] + EntryStatus.choices
    )
    validacion = forms.ChoiceField(
        label=_("Validación"),
        required=False,
        choices=[("", _("Todas"))] + ReviewOutcome.choices,
    )
    institucion = forms.ModelChoiceField(
        label=_("Institución"), required=False, queryset=None, empty_label=_("Todas")
    )
    entidad = forms.ModelChoiceField(
        label=_("Entidad federativa"), required=False, queryset=None, empty_label=_("Todas")
    )
    agrupar = forms.ChoiceField(label=_("Agrupar"), required=False, choices=GROUP_CHOICES)

    def __init__(self, *args, institutions, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institucion"].queryset = institutions
        self.fields["entidad"].queryset = states

    def filters(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("estado", ""),
            "review": data.get("validacion", ""),
            "institution": data.get("institucion"),
            "state": data.get("entidad"),
            "group": data.get("agrupar", ""),
        }


class CompareForm(forms.Form):
    antes = forms.ModelChoiceField(label=_("Ronda anterior"), queryset=None)
    despues = forms.ModelChoiceField(label=_("Ronda posterior"), queryset=None)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["antes"].queryset = rounds
        self.fields["despues"].queryset = rounds

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("antes") and cleaned.get("antes") == cleaned.get("despues"):
            raise ValidationError(_("Elija dos rondas distintas."), code="same_round")
        return cleaned
