from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Max
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ogp_portal.strict_input import parse_id

from .evidence_files import stored_name, validate_evidence_file
from .models import (
    ActionPlan,
    Alignment,
    Commitment,
    Evidence,
    Institution,
    IrmAssessment,
    IrmReport,
    IrmReportFigure,
    Milestone,
    PolicyArea,
    ProgressReport,
    SdgTarget,
    Source,
    TitleAlias,
)


class VersionedHistoryAdmin(SimpleHistoryAdmin):
    """History and revert for staff; every admin save (a revert too) moves the version on,
    so an editor's form opened before it is refused as a conflict instead of overwriting it."""

    def save_model(self, request, obj, form, change):
        if change:
            # Past the highest version ever recorded, so a revert never reuses a number.
            known = obj.history.filter(id=obj.pk).aggregate(top=Max("version"))["top"] or 0
            current = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first()
            obj.version = max(known, current or 0) + 1
        super().save_model(request, obj, form, change)

    def _object_id_or_404(self, object_id):
        # simple_history filters by the raw URL segment: "MX9001" for an integer key, or a
        # version id of "²", raised ValueError (a 500) instead of not finding anything.
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._object_id_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        object_id = self._object_id_or_404(object_id)
        if parse_id(str(version_id)) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "scope",
        "state",
        "cycle_year",
        "start_date",
        "end_date",
        "status",
        "commitment_count",
    ]
    list_filter = ["scope", "status", "cycle_year", "state"]
    search_fields = ["title", "state__official_name", "state__short_name"]
    list_select_related = ["state"]
    autocomplete_fields = ["state", "source"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commitment_count=Count("commitments"))

    @admin.display(description=_("compromisos"), ordering="commitment_count")
    def commitment_count(self, plan):
        return plan.commitment_count


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = [
        "position",
        "title",
        "start_date",
        "due_date",
        "weight",
        "status",
        "progress_reported",
    ]
    ordering = ["position"]


@admin.register(Commitment)
class CommitmentAdmin(VersionedHistoryAdmin):
    list_display = ["code", "title_es", "title_en", "action_plan", "start_date", "end_date"]
    list_filter = ["action_plan__scope", "action_plan__cycle_year", "policy_areas"]
    search_fields = ["code", "title_es", "title_en"]
    list_select_related = ["action_plan"]
    autocomplete_fields = ["action_plan", "title_es_source"]
    filter_horizontal = ["lead_institutions", "support_institutions", "policy_areas", "sdg_targets"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [MilestoneInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "code_assigned_by_portal",
                    "action_plan",
                    "title_es",
                    "title_es_origin",
                    "title_es_source",
                    "title_en",
                    "start_date",
                    "end_date",
                ]
            },
        ),
        (
            _("Contenido"),
            {
                "fields": [
                    "description",
                    "problem",
                    "objectives",
                    "ogp_relevance",
                    "gender_perspective",
                    "development_plan_axis",
                    "additional_information",
                ]
            },
        ),
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
        (_("Registro"), {"fields": ["version", "created_at", "updated_at"]}),
    ]


@admin.register(Milestone)
class MilestoneAdmin(VersionedHistoryAdmin):
    list_display = ["title", "commitment", "position", "start_date", "due_date", "weight", "status"]
    list_filter = ["status", "commitment__action_plan__cycle_year"]
    search_fields = ["title", "commitment__code", "commitment__title_es", "commitment__title_en"]
    list_select_related = ["commitment"]
    autocomplete_fields = ["commitment"]
    readonly_fields = ["version", "created_at", "updated_at"]
    history_list_display = ["status", "percent_complete", "changes"]


class EvidenceAdminForm(forms.ModelForm):
    """Staff uploads pass the content check of the pages and the API, and record its result."""

    class Meta:
        model = Evidence
        # Every editable field: the admin then leaves out its read-only ones.
        fields = [
            "milestone",
            "progress_report",
            "kind",
            "title",
            "url",
            "file",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
        ]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new upload, not the file already stored
            kind = validate_evidence_file(upload)
            upload.name = stored_name(upload, kind)
            self.instance.original_name = upload.name
            self.instance.content_type = kind.content_type
            self.instance.size = upload.size
        return upload


class EvidenceInline(admin.TabularInline):
    model = Evidence
    form = EvidenceAdminForm
    extra = 0
    fields = ["kind", "title", "url", "file", "original_name", "content_type", "size"]
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["commitment", "date", "author"]
    list_filter = ["date"]
    search_fields = ["commitment__code", "summary"]
    list_select_related = ["commitment", "author"]
    autocomplete_fields = ["commitment"]
    readonly_fields = ["author"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    form = EvidenceAdminForm
    list_display = ["__str__", "kind", "milestone", "progress_report", "size", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "original_name", "url"]
    list_select_related = ["milestone", "progress_report"]
    raw_id_fields = ["milestone", "progress_report", "uploaded_by"]
    # Content type and size were decided from the file when it was uploaded.
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "created_at"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "acronym"]
    list_select_related = ["state"]
    autocomplete_fields = ["state"]


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "slug"]
    search_fields = ["name_es", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "description_es"]
    list_filter = ["goal"]
    search_fields = ["code", "description_es", "description_en"]


@admin.register(Alignment)
class AlignmentAdmin(admin.ModelAdmin):
    list_display = ["local_commitment", "kind", "national_commitment"]
    list_filter = ["kind"]
    search_fields = [
        "local_commitment__code",
        "local_commitment__title_es",
        "national_commitment__code",
        "national_commitment__title_es",
    ]
    list_select_related = ["local_commitment", "national_commitment"]
    autocomplete_fields = ["local_commitment", "national_commitment"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["publication", "publisher", "published", "is_mirror", "url"]
    list_filter = ["is_mirror"]
    search_fields = ["key", "publication", "publisher", "url"]


@admin.register(TitleAlias)
class TitleAliasAdmin(admin.ModelAdmin):
    list_display = ["commitment", "title", "source"]
    search_fields = ["commitment__code", "title"]
    list_select_related = ["commitment", "source"]
    autocomplete_fields = ["commitment", "source"]


@admin.register(IrmAssessment)
class IrmAssessmentAdmin(admin.ModelAdmin):
    list_display = ["commitment", "report_kind", "completion", "early_results", "source"]
    list_filter = ["report_kind", "completion", "early_results", "starred", "pending"]
    search_fields = ["commitment__code", "note"]
    list_select_related = ["commitment", "source"]
    autocomplete_fields = ["commitment", "source"]


class IrmReportFigureInline(admin.TabularInline):
    model = IrmReportFigure
    extra = 0


@admin.register(IrmReport)
class IrmReportAdmin(admin.ModelAdmin):
    list_display = ["title", "action_plan", "kind", "source"]
    list_filter = ["kind"]
    list_select_related = ["action_plan", "source"]
    autocomplete_fields = ["action_plan", "source"]
    inlines = [IrmReportFigureInline]
