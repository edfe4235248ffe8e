"""What the Independent Reporting Mechanism (IRM) published: assessments and reports."""

from operator import attrgetter

import django_filters as filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.resources.base import (
    ACTION_PLAN,
    COMMITMENT,
    IRM_REPORT,
    ApiFilterSet,
    C,
    DescribedModelSerializer,
    Fields,
    ListAndDetailResource,
    Resource,
    cycle_year_filter,
    documented,
    ordering,
    source_column,
)
from api.v1.resources.sources import SourceSerializer
from commitments.models import (
    Commitment,
    IrmAssessment,
    IrmCompletion,
    IrmEarlyResults,
    IrmReport,
    IrmReportFigure,
    IrmReportKind,
)


def irm_assessments() -> QuerySet[IrmAssessment]:
    return IrmAssessment.objects.select_related("commitment", "source").order_by(
        "commitment__code", "report_kind", "pk"
    )


def irm_reports() -> QuerySet[IrmReport]:
    return (
        IrmReport.objects.select_related("action_plan", "source")
        .prefetch_related(Prefetch("figures", queryset=IrmReportFigure.objects.order_by("pk")))
        .order_by("action_plan__cycle_year", "kind")
    )


def irm_report_figures() -> QuerySet[IrmReportFigure]:
    return IrmReportFigure.objects.order_by("report_id", "pk")


class IrmAssessmentFilter(ApiFilterSet):
    commitment = filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(),
        to_field_name="code",
        help_text=_("Clave del compromiso."),
    )
    cycle_year = cycle_year_filter("commitment__action_plan__cycle_year")
    report_kind = filters.ChoiceFilter(
        choices=IrmReportKind.choices, help_text=_("Informe del IRM de donde viene.")
    )
    early_results = filters.ChoiceFilter(
        choices=IrmEarlyResults.choices, help_text=_("Resultados tempranos según el IRM.")
    )
    completion = filters.ChoiceFilter(
        choices=IrmCompletion.choices, help_text=_("Cumplimiento según el IRM.")
    )
    ordering = ordering("commitment__code", "report_kind")
    search_fields = ("commitment__code", "note")

    class Meta:
        model = IrmAssessment
        fields = []


class IrmReportFilter(ApiFilterSet):
    cycle_year = cycle_year_filter("action_plan__cycle_year")
    kind = filters.ChoiceFilter(choices=IrmReportKind.choices, help_text=_("Tipo de informe."))
    ordering = ordering("action_plan__cycle_year", "kind")
    search_fields = ("title", "notes")

    class Meta:
        model = IrmReport
        fields = []


IRM_FIELDS = ["report_kind", *IrmAssessment.RATING_FIELDS]
# One description per field, for the JSON (schema) and the CSV alike. Without information
# a value is null in the JSON and empty in the CSV.
IRM_ASSESSMENT_FIELDS = Fields(
    id=_("Identificador de la valoración."),
    commitment=_("Clave del compromiso."),
    report_kind=_(
        "Informe: progress, design, mid_term, end_of_term o results; vacío si no se sabe."
    ),
    pending=_("La fuente dice que la valoración del IRM está pendiente."),
    **{
        name: _("Nulo (vacío en el CSV): la fuente no lo dice (sin información).")
        for name in (
            "verifiable",
            "relevant_access_to_information",
            "relevant_civic_participation",
            "relevant_public_accountability",
            "relevant_technology_innovation",
        )
    },
    potential_impact=_(
        "Impacto potencial: none, minor, moderate o transformative; nulo (vacío en el CSV) "
        "sin información."
    ),
    ambition=_("Ambición: low, moderate o high; nula (vacía en el CSV) sin información."),
    completion=_(
        "Cumplimiento según el IRM: no_evidence, not_started, limited, substantial o "
        "complete; nulo (vacío en el CSV) sin información."
    ),
    did_it_open_government=_(
        "¿Abrió el gobierno?: worsened, did_not_change, marginal, major u outstanding; "
        "nulo (vacío en el CSV) sin información."
    ),
    early_results=_(
        "Resultados tempranos: no_notable, marginal, significant u outstanding; nulo "
        "(vacío en el CSV) sin información."
    ),
    starred=_("Compromiso estelar; nulo (vacío en el CSV) sin información."),
    note=_("Nota."),
    source=_("Informe o página de OGP de donde viene (en el CSV, su clave en la tabla sources)."),
    updated_at=_("Última actualización."),
)
irm_column = IRM_ASSESSMENT_FIELDS.column

IRM_REPORT_FIELDS = Fields(
    id=_("Identificador del informe."),
    cycle_year=_("Ciclo del plan de acción nacional."),
    action_plan_id=_("Identificador del plan de acción."),
    kind=_("Informe: progress, design, mid_term, end_of_term o results."),
    title=_("Título."),
    notes=_("Notas."),
    source=_("El informe (en el CSV, su clave en la tabla sources)."),
    updated_at=_("Última actualización."),
)
report_column = IRM_REPORT_FIELDS.column


class NestedIrmAssessmentSerializer(DescribedModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = IrmAssessment
        fields = [*IRM_FIELDS, "source"]
        descriptions = IRM_ASSESSMENT_FIELDS


class IrmAssessmentSerializer(NestedIrmAssessmentSerializer):
    commitment = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(NestedIrmAssessmentSerializer.Meta):
        fields = ["id", "commitment", *IRM_FIELDS, "source", "updated_at"]


class IrmReportFigureSerializer(DescribedModelSerializer):
    class Meta:
        model = IrmReportFigure
        fields = ["metric", "value", "of_total"]


class IrmReportSerializer(DescribedModelSerializer):
    cycle_year = serializers.IntegerField(source="action_plan.cycle_year")
    figures = IrmReportFigureSerializer(many=True, help_text=_("Cifras del plan completo."))
    source = SourceSerializer()

    class Meta:
        model = IrmReport
        fields = ["id", "cycle_year", "kind", "title", "notes", "figures", "source", "updated_at"]
        descriptions = IRM_REPORT_FIELDS


IRM_ASSESSMENTS = Resource(
    name="irm_assessments",
    title=_("Valoraciones del Mecanismo de Revisión Independiente (IRM)"),
    queryset=irm_assessments,
    primary_key=("id",),
    columns=(
        irm_column("id", "integer", attrgetter("pk")),
        irm_column(
            "commitment",
            "string",
            lambda o: o.commitment.code,
            required=True,
            references=COMMITMENT,
        ),
        irm_column(
            "report_kind",
            "string",
            attrgetter("report_kind"),
        ),
        irm_column(
            "pending",
            "boolean",
            attrgetter("pending"),
            required=True,
        ),
        *(
            irm_column(name, "boolean", attrgetter(name))
            for name in (
                "verifiable",
                "relevant_access_to_information",
                "relevant_civic_participation",
                "relevant_public_accountability",
                "relevant_technology_innovation",
            )
        ),
        irm_column(
            "potential_impact",
            "string",
            attrgetter("potential_impact"),
        ),
        irm_column(
            "ambition",
            "string",
            attrgetter("ambition"),
        ),
        irm_column(
            "completion",
            "string",
            attrgetter("completion"),
        ),
        irm_column(
            "did_it_open_government",
            "string",
            attrgetter("did_it_open_government"),
        ),
        irm_column(
            "early_results",
            "string",
            attrgetter("early_results"),
        ),
        irm_column(
            "starred",
            "boolean",
            attrgetter("starred"),
        ),
        irm_column("note", "string", attrgetter("note")),
        source_column(required=True, description=IRM_ASSESSMENT_FIELDS["source"]),
    ),
)

IRM_REPORTS = Resource(
    name="irm_reports",
    title=_("Informes del IRM sobre los planes nacionales"),
    queryset=irm_reports,
    primary_key=("id",),
    columns=(
        report_column("id", "integer", attrgetter("pk")),
        report_column(
            "action_plan_id",
            "integer",
            attrgetter("action_plan_id"),
            required=True,
            references=ACTION_PLAN,
        ),
        report_column(
            "kind",
            "string",
            attrgetter("kind"),
            required=True,
        ),
        report_column("title", "string", attrgetter("title"), required=True),
        report_column("notes", "string", attrgetter("notes")),
        source_column(required=True, description=IRM_REPORT_FIELDS["source"]),
    ),
)

IRM_REPORT_FIGURES = Resource(
    name="irm_report_figures",
    title=_("Cifras de los informes del IRM"),
    queryset=irm_report_figures,
    primary_key=("report_id", "metric"),
    columns=(
        C(
            "report_id",
            "integer",
            _("Identificador del informe."),
            attrgetter("report_id"),
            references=IRM_REPORT,
        ),
        C("metric", "string", _("Indicador."), attrgetter("metric")),
        C("value", "integer", _("Valor."), attrgetter("value"), required=True),
        C("of_total", "integer", _("De un total de."), attrgetter("of_total")),
    ),
)


@documented(
    serializer=IrmAssessmentSerializer,
    export=IRM_ASSESSMENTS,
    name=_("valoraciones del IRM"),
    description=_(
        "Lo que el Mecanismo de Revisión Independiente (IRM) de la Alianza publicó de cada "
        "compromiso nacional, con su fuente. Un compromiso sin fila no tiene una valoración "
        "encontrada (sin información); un campo vacío es un dato que la fuente no da."
    ),
)
class IrmAssessmentViewSet(ListAndDetailResource):
    serializer_class = IrmAssessmentSerializer
    filterset_class = IrmAssessmentFilter
    export = IRM_ASSESSMENTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return irm_assessments()


@documented(
    serializer=IrmReportSerializer,
    export=IRM_REPORTS,
    name=_("informes del IRM"),
    description=_(
        "Los informes del IRM sobre cada plan nacional, con las cifras del plan completo "
        "(en el CSV van en la tabla irm_report_figures del paquete de datos abiertos)."
    ),
)
class IrmReportViewSet(ListAndDetailResource):
    serializer_class = IrmReportSerializer
    filterset_class = IrmReportFilter
    export = IRM_REPORTS
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return irm_reports()
