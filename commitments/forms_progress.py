"""Forms of the progress pages. They check input; the services in services.py write it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .evidence_files import ALLOWED_DESCRIPTION, validate_evidence_file
from .models import Milestone
from .rules import MILESTONE_PROGRESS_FIELDS
from .services import check_dates_in_plan_period


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EvidenceFieldsMixin(forms.Form):
    """Optional evidence: a link, a file, or both, with a title."""

    evidence_title = forms.CharField(
        label=_("Título de la evidencia"), required=False, max_length=200
    )
    evidence_url = forms.URLField(
        label=_("Enlace a la evidencia"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Dirección completa, por ejemplo https://www.gob.mx/…"),
    )
    evidence_file = forms.FileField(
        label=_("Archivo de evidencia"),
        required=False,
        help_text=_("Tipos permitidos: %(allowed)s.") % {"allowed": ALLOWED_DESCRIPTION},
    )

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            validate_evidence_file(upload)
        return upload

    def evidence(self):
        return {
            "evidence_title": self.cleaned_data.get("evidence_title", ""),
            "evidence_url": self.cleaned_data.get("evidence_url", ""),
            "evidence_file": self.cleaned_data.get("evidence_file") or None,
        }


def percent_field():
    return forms.IntegerField(
        label=_("Avance (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        help_text=_("Un número entero de 0 a 100."),
    )


class MilestoneProgressForm(EvidenceFieldsMixin):
    """A milestone's progress, carrying the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Estado"), choices=Milestone.Status.choices)
    percent_complete = percent_field()
    actual_start_date = forms.DateField(label=_("Inicio real"), required=False, widget=DateInput)
    actual_end_date = forms.DateField(label=_("Conclusión real"), required=False, widget=DateInput)
    weight = forms.IntegerField(
        label=_("Peso"),
        min_value=1,
        max_value=1000,
        help_text=_("Cuánto pesa este hito en el avance del compromiso (1 o más)."),
    )
    narrative = forms.CharField(
        label=_("Descripción del avance"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    field_order = [
        "version",
        *MILESTONE_PROGRESS_FIELDS,
        "evidence_title",
        "evidence_url",
        "evidence_file",
    ]

    def __init__(self, *args, milestone, **kwargs):
        self.milestone = milestone
        kwargs.setdefault(
            "initial",
            {
                "version": milestone.version,
                "status": milestone.status,
                "percent_complete": milestone.percent_complete,
                "actual_start_date": milestone.actual_start_date,
                "actual_end_date": milestone.actual_end_date,
                "weight": milestone.weight,
                "narrative": milestone.narrative,
            },
        )
        kwargs.setdefault("prefix", f"hito-{milestone.pk}")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        percent = cleaned.get("percent_complete")
        if status == Milestone.Status.COMPLETE and percent is not None and percent < 100:
            self.add_error(
                "percent_complete",
                ValidationError(
                    _("Un hito completado debe tener un avance del 100 por ciento."),
                    code="complete_below_100",
                ),
            )
        start, end = cleaned.get("actual_start_date"), cleaned.get("actual_end_date")
        if start and end and end < start:
            self.add_error(
                "actual_end_date",
                ValidationError(
                    _("La conclusión real no puede ser anterior al inicio real."),
                    code="end_before_start",
                ),
            )
        try:
            check_dates_in_plan_period(
                plan=self.milestone.commitment.action_plan,
                actual_start_date=start,
                actual_end_date=end,
            )
        except ValidationError as error:
            for field, messages in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned

    def progress(self):
        """The keyword arguments of services.update_milestone_progress."""
        data = self.cleaned_data
        return {
            "version": data["version"],
            "status": data["status"],
            "percent_complete": data["percent_complete"],
            "actual_start_date": data.get("actual_start_date"),
            "actual_end_date": data.get("actual_end_date"),
            "narrative": data.get("narrative", ""),
            "weight": data["weight"],
            **self.evidence(),
        }


class ProgressReportForm(EvidenceFieldsMixin):
    date = forms.DateField(label=_("Fecha del informe"), widget=DateInput)
    summary = forms.CharField(
        label=_("Resumen del avance"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )

    field_order = ["date", "summary", "evidence_title", "evidence_url", "evidence_file"]

    def __init__(self, *args, commitment, **kwargs):
        self.commitment = commitment
        kwargs.setdefault("prefix", "informe")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        try:
            check_dates_in_plan_period(plan=self.commitment.action_plan, date=cleaned.get("date"))
        except ValidationError as error:
            for field, messages in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned


class MilestoneAddForm(forms.Form):
    title = forms.CharField(label=_("Título del hito"), max_length=500)
    start_date = forms.DateField(label=_("Fecha de inicio"), required=False, widget=DateInput)
    due_date = forms.DateField(label=_("Fecha compromiso"), required=False, widget=DateInput)
    weight = forms.IntegerField(label=_("Peso"), min_value=1, max_value=1000, initial=1)

    def __init__(self, *args, commitment, **kwargs):
        self.commitment = commitment
        kwargs.setdefault("prefix", "nuevo-hito")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error(
                "due_date",
                ValidationError(
                    _("La fecha compromiso no puede ser anterior a la de inicio."),
                    code="end_before_start",
                ),
            )
        try:
            check_dates_in_plan_period(
                plan=self.commitment.action_plan, start_date=start, due_date=due
            )
        except ValidationError as error:
            for field, messages in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned


class MilestoneMoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    direction = forms.ChoiceField(choices=[("up", _("Subir")), ("down", _("Bajar"))])
