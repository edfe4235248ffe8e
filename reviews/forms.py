"""Forms of the review pages. They check input; services.py writes it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Verdict

MARKDOWN_HELP = _(
    "Puedes usar Markdown sencillo: **negritas**, *cursivas*, listas y enlaces. "
    "No se admiten imágenes, scripts ni estilos."
)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comentario"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comentario"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo del reporte"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Explica por qué el comentario debería revisarse (por ejemplo, insultos)."),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Acción"),
        choices=[("hide", _("Ocultar")), ("restore", _("Mantener o restaurar"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motivo público"),
        max_length=300,
        required=False,
        help_text=_("Se muestra en lugar del comentario oculto. Obligatorio para ocultar."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "hide" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Escribe el motivo que se mostrará en público."))
        return cleaned


class AssessmentForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Valoración de tu organización"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Justificación"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoria. Explica en qué te basas; puedes enlazar fuentes."),
    )


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("¿Cómo quieres recibir los avisos?"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
