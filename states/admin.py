from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from commitments.admin import MilestoneInline
from commitments.models import ActionPlan, Alignment, Commitment
from ogp_portal.admin import PublishesData

from .models import (
    LocalActionPlan,
    LocalCommitment,
    MetricaEdition,
    MetricaScore,
    SecretariatMember,
    State,
    StateParticipation,
)


class MetricaScoreInline(admin.TabularInline):
    model = MetricaScore
    extra = 0
    fields = [
        "edition",
        "score",
        "rank",
        *MetricaScore.SUB_SCORES,
        "source",
    ]
    autocomplete_fields = ["source"]


class ParticipationInline(admin.TabularInline):
    model = StateParticipation
    extra = 0
    fields = ["program", "status", "start_year", "end_year", "source", "note"]
    autocomplete_fields = ["source"]


@admin.register(State)
class StateAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["inegi_code", "official_name", "short_name", "abbreviation"]
    search_fields = ["inegi_code", "official_name", "short_name", "abbreviation"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ParticipationInline, MetricaScoreInline]


class EditionScoreInline(MetricaScoreInline):
    fields = ["state", *MetricaScoreInline.fields[1:]]
    autocomplete_fields = ["state", "source"]


@admin.register(MetricaEdition)
class MetricaEditionAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["year", "national_average", "score_count", "source"]
    list_select_related = ["source"]
    autocomplete_fields = ["source"]
    inlines = [EditionScoreInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(score_count=Count("scores"))

    @admin.display(description=_("entidades con calificación"), ordering="score_count")
    def score_count(self, edition):
        return edition.score_count


@admin.register(MetricaScore)
class MetricaScoreAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["state", "edition", "score"]
    list_filter = ["edition"]
    search_fields = ["state__official_name", "state__short_name", "state__abbreviation"]
    list_select_related = ["state", "edition"]
    autocomplete_fields = ["state", "source"]


@admin.register(StateParticipation)
class StateParticipationAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["state", "program", "status", "start_year", "end_year", "source"]
    list_filter = ["program", "status"]
    search_fields = ["state__official_name", "state__short_name", "note"]
    list_select_related = ["state", "source"]
    autocomplete_fields = ["state", "source"]


class SecretariatMemberInline(admin.TabularInline):
    model = SecretariatMember
    extra = 0
    fields = ["position", "institution", "sector", "representative"]
    autocomplete_fields = ["institution"]


class LocalCommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["code", "title_es", "completion_percent"]
    readonly_fields = ["completion_percent"]
    show_change_link = True
    verbose_name = _("compromiso")
    verbose_name_plural = _("compromisos (sus hitos y alineación se editan en cada compromiso)")


@admin.register(LocalActionPlan)
class LocalActionPlanAdmin(PublishesData, admin.ModelAdmin):
    """Local plans only: the scope is fixed, the co-creation body is edited inline."""

    list_display = ["title", "state", "cycle_year", "status", "commitment_count"]
    list_filter = ["status", "cycle_year", "state"]
    search_fields = ["title", "state__official_name", "state__short_name"]
    list_select_related = ["state"]
    autocomplete_fields = ["state"]
    fields = ["state", "cycle_year", "title", "start_date", "end_date", "status"]
    inlines = [SecretariatMemberInline, LocalCommitmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(scope=ActionPlan.Scope.STATE)
            .annotate(commitment_count=Count("commitments"))
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["state"].required = True
        return form

    def save_model(self, request, obj, form, change):
        obj.scope = ActionPlan.Scope.STATE
        super().save_model(request, obj, form, change)

    @admin.display(description=_("compromisos"), ordering="commitment_count")
    def commitment_count(self, plan):
        return plan.commitment_count


class AlignmentInline(admin.TabularInline):
    model = Alignment
    fk_name = "local_commitment"
    extra = 0
    fields = ["national_commitment", "kind"]
    autocomplete_fields = ["national_commitment"]
    verbose_name = _("alineación con un compromiso nacional")
    verbose_name_plural = _("alineación con compromisos nacionales")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "national_commitment":
            kwargs["queryset"] = Commitment.objects.filter(
                action_plan__scope=ActionPlan.Scope.NATIONAL
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(LocalCommitment)
class LocalCommitmentAdmin(PublishesData, admin.ModelAdmin):
    """Commitments of local plans, with milestones and their national alignment inline."""

    list_display = ["code", "title_es", "action_plan", "completion_percent"]
    list_filter = ["action_plan__state", "action_plan__cycle_year"]
    search_fields = ["code", "title_es", "title_en", "action_plan__state__short_name"]
    list_select_related = ["action_plan", "action_plan__state"]
    autocomplete_fields = [
        "action_plan",
        "lead_institutions",
        "support_institutions",
        "policy_areas",
        "sdg_targets",
    ]
    readonly_fields = ["completion_percent", "version", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["code", "action_plan", "title_es", "title_en", "start_date", "end_date"]},
        ),
        (_("Contenido"), {"fields": ["description", "problem", "objectives"]}),
        (
            _("Instituciones y clasificación"),
            {
                "fields": [
                    "lead_institutions",
                    "support_institutions",
                    "policy_areas",
                    "sdg_targets",
                ]
            },
        ),
        (_("Registro"), {"fields": ["completion_percent", "version", "created_at", "updated_at"]}),
    ]
    inlines = [MilestoneInline, AlignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(action_plan__scope=ActionPlan.Scope.STATE)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "action_plan":
            kwargs["queryset"] = ActionPlan.objects.filter(scope=ActionPlan.Scope.STATE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
