from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ogp_portal.admin import PublishesData
from ogp_portal.service_errors import VersionConflict
from ogp_portal.strict_input import parse_id

from . import services
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

CONFLICT_MESSAGE = _(
    "Otra persona cambió este registro después de que lo abriste, así que no se guardó "
    "nada. Vuelve a abrirlo para ver su versión y repite tu cambio sobre ella."
)


def _model_values(form):
    """The form's cleaned values of the model's own columns (not the version, not lists),
    foreign keys by id, as the history rows record them."""
    values = {}
    for field in form._meta.model._meta.concrete_fields:
        if field.primary_key or field.name == "version" or field.name not in form.cleaned_data:
            continue
        value = form.cleaned_data[field.name]
        if field.is_relation:
            values[field.attname] = value.pk if value is not None else None
        else:
            values[field.name] = value
    return values


def _list_values(form):
    """The form's cleaned many-to-many lists (institutions, policy areas, SDG targets)."""
    opts = form._meta.model._meta
    return {
        field.name: form.cleaned_data[field.name]
        for field in opts.many_to_many
        if field.name in form.cleaned_data
    }


class VersionedAdminForm(forms.ModelForm):
    """An admin form that carries the version its record was at when the page was opened.

    The hidden field starts from the live row's version (a revert form is built from an
    old history row), and a form whose version is no longer current is refused here;
    the services' claim refuses the rare save that races past this check.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    # An inline row left as it was is not saved, so its version does not matter.
    row_of_an_inline = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].required = True
        if self.instance.pk and not self.row_of_an_inline:
            # An inline's rows come fresh from its query; only a page's own record (which
            # may be an old history row being reverted) needs the live version read.
            self.initial["version"] = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean_version(self):
        if not self.instance.pk:
            return self.instance.version  # a new record starts at the model's default
        return self.cleaned_data["version"]

    def is_being_deleted(self):
        return bool(self.cleaned_data.get("DELETE"))

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        touched = self.has_changed() or self.is_being_deleted() or not self.row_of_an_inline
        if self.instance.pk and version and touched:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != version:
                raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned


# What the staff services refuse (NotAllowed stays Django's 403).
REFUSED = (VersionConflict, ValidationError)


class RefusalAsMessage:
    """A save the services refuse (a conflict that slipped past the form's check, a
    broken rule) rolls the whole admin save back and says so above the reloaded form."""

    def _refused(self, request, error):
        if isinstance(error, VersionConflict):
            self.message_user(request, CONFLICT_MESSAGE, messages.ERROR)
        else:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except REFUSED as error:
            return self._refused(request, error)


class ThroughServicesAdmin(RefusalAsMessage, PublishesData, SimpleHistoryAdmin):
    """Change forms and reverts carry the version and save through the services."""

    form = VersionedAdminForm

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
        request.reverting_from_history = True
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except REFUSED as error:
            return self._refused(request, error)


@admin.register(ActionPlan)
class ActionPlanAdmin(PublishesData, admin.ModelAdmin):
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


class VersionedInlineRowForm(VersionedAdminForm):
    """A row of an inline: saved only when staff changed it on the page they opened."""

    row_of_an_inline = True

    def has_changed(self):
        """Compared with the record as staff saw it (its history row at the version the
        page carries), so a row someone else saved meanwhile is not taken for an edit."""
        if not super().has_changed():
            return False
        version = self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None
        current = self.initial.get("version")
        if not self.instance.pk or not version or version == current:
            return True
        seen = self.instance.history.filter(version=version).order_by("-history_id").first()
        if seen is None:
            return True
        edited = [name for name in self.changed_data if name != "version" and hasattr(seen, name)]
        if "DELETE" in self.changed_data:
            return True
        return any(getattr(seen, name) != self.cleaned_data.get(name) for name in edited)


class MilestoneInline(admin.TabularInline):
    """Each row carries its milestone's version; CommitmentAdmin saves rows through the services."""

    model = Milestone
    form = VersionedInlineRowForm
    extra = 0
    fields = [
        "position",
        "title",
        "start_date",
        "due_date",
        "weight",
        "status",
        "progress_reported",
        "version",
    ]
    ordering = ["position"]


@admin.register(Commitment)
class CommitmentAdmin(ThroughServicesAdmin):
    list_display = ["code", "title_es", "title_en", "action_plan", "start_date", "end_date"]
    list_filter = ["action_plan__scope", "action_plan__cycle_year", "policy_areas"]
    search_fields = ["code", "title_es", "title_en"]
    list_select_related = ["action_plan"]
    autocomplete_fields = ["action_plan", "title_es_source"]
    filter_horizontal = ["lead_institutions", "support_institutions", "policy_areas", "sdg_targets"]
    readonly_fields = ["created_at", "updated_at"]
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
            {"fields": list(Commitment.CONTENT_FIELDS)},
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

    def save_model(self, request, obj, form, change):
        if not change:
            services.add_commitment_as_staff(commitment=obj, user=request.user)
        elif getattr(request, "reverting_from_history", False):
            # A revert has no milestone rows; simple-history saves the lists after this.
            saved = services.edit_commitment_as_staff(
                commitment_id=obj.pk,
                user=request.user,
                version=form.cleaned_data["version"],
                values=_model_values(form),
            )
            obj.version = saved.version
        # Otherwise the commitment is saved with its milestone rows in save_related.

    def save_related(self, request, form, formsets, change):
        if not change or getattr(request, "reverting_from_history", False):
            return super().save_related(request, form, formsets, change)
        (formset,) = [formset for formset in formsets if formset.model is Milestone]
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted, edits = [], []
        for row in formset.initial_forms:
            version = row.cleaned_data["version"]
            if row in formset.deleted_forms:
                deleted.append(services.MilestoneRowEdit(row.instance.pk, version, {}))
                formset.deleted_objects.append(row.instance)
            elif row.has_changed():
                values = _model_values(row)
                edits.append(services.MilestoneRowEdit(row.instance.pk, version, values))
                formset.changed_objects.append((row.instance, row.changed_data))
        for row in formset.extra_forms:
            if row.has_changed() and row not in formset.deleted_forms:
                formset.new_objects.append(row.save(commit=False))
        saved = services.edit_commitment_as_staff(
            commitment_id=form.instance.pk,
            user=request.user,
            version=form.cleaned_data["version"],
            values=_model_values(form),
            lists=_list_values(form),
            milestone_edits=edits,
            new_milestones=formset.new_objects,
            deleted_milestones=deleted,
        )
        form.instance.version = saved.version

    def save_formset(self, request, form, formset, change):
        """A new commitment's milestone rows (changes go through save_related)."""
        if formset.model is not Milestone:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.extra_forms:
            if row.has_changed() and row not in formset.deleted_forms:
                milestone = row.save(commit=False)
                milestone.commitment = form.instance
                services.add_milestone_as_staff(milestone=milestone, user=request.user)
                formset.new_objects.append(milestone)


@admin.register(Milestone)
class MilestoneAdmin(ThroughServicesAdmin):
    list_display = ["title", "commitment", "position", "start_date", "due_date", "weight", "status"]
    list_filter = ["status", "commitment__action_plan__cycle_year"]
    search_fields = ["title", "commitment__code", "commitment__title_es", "commitment__title_en"]
    list_select_related = ["commitment"]
    autocomplete_fields = ["commitment"]
    readonly_fields = ["created_at", "updated_at"]
    history_list_display = ["status", "percent_complete", "changes"]

    def save_model(self, request, obj, form, change):
        if not change:
            services.add_milestone_as_staff(milestone=obj, user=request.user)
            return
        saved = services.edit_milestone_as_staff(
            milestone_id=obj.pk,
            user=request.user,
            version=form.cleaned_data["version"],
            values=_model_values(form),
        )
        obj.version = saved.version

    def delete_model(self, request, obj):
        services.delete_milestone_as_staff(
            milestone_id=obj.pk, user=request.user, version=obj.version
        )

    def delete_queryset(self, request, queryset):
        services.delete_milestones_as_staff(
            milestone_ids=list(queryset.values_list("pk", flat=True)), user=request.user
        )


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

    # Who it belongs to and what it is stay as uploaded: moving evidence or swapping its
    # file is not something any page does, so no rule (nor history) covers it.
    FIXED_ONCE_STORED = ["milestone", "progress_report", "kind", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.FIXED_ONCE_STORED:
                if name in self.fields:
                    self.fields[name].disabled = True

    def editable_values(self):
        """The values staff may change on stored evidence."""
        return {
            name: self.cleaned_data[name]
            for name in ("title", "url")
            if name in self.cleaned_data and name not in self.FIXED_ONCE_STORED
        }

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
class ProgressReportAdmin(RefusalAsMessage, PublishesData, admin.ModelAdmin):
    list_display = ["commitment", "date", "author"]
    list_filter = ["date"]
    search_fields = ["commitment__code", "summary"]
    list_select_related = ["commitment", "author"]
    autocomplete_fields = ["commitment"]
    readonly_fields = ["author"]
    inlines = [EvidenceInline]

    def save_model(self, request, obj, form, change):
        services.save_progress_report_as_staff(report=obj, user=request.user, created=not change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Evidence:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.initial_forms:
            if row in formset.deleted_forms:
                row.instance.delete()
                formset.deleted_objects.append(row.instance)
            elif row.has_changed():
                saved = services.edit_evidence_as_staff(
                    evidence_id=row.instance.pk, values=row.editable_values()
                )
                formset.changed_objects.append((saved, row.changed_data))
        for row in formset.extra_forms:
            if row.has_changed() and row not in formset.deleted_forms:
                evidence = row.save(commit=False)
                evidence.progress_report = form.instance
                services.add_evidence_as_staff(evidence=evidence, user=request.user)
                formset.new_objects.append(evidence)


@admin.register(Evidence)
class EvidenceAdmin(RefusalAsMessage, PublishesData, admin.ModelAdmin):
    form = EvidenceAdminForm
    list_display = ["__str__", "kind", "milestone", "progress_report", "size", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "original_name", "url"]
    list_select_related = ["milestone", "progress_report"]
    raw_id_fields = ["milestone", "progress_report", "uploaded_by"]
    # Content type and size were decided from the file when it was uploaded.
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            services.edit_evidence_as_staff(evidence_id=obj.pk, values=form.editable_values())
        else:
            services.add_evidence_as_staff(evidence=obj, user=request.user)


@admin.register(Institution)
class InstitutionAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "acronym"]
    list_select_related = ["state"]
    autocomplete_fields = ["state"]


@admin.register(PolicyArea)
class PolicyAreaAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["name_es", "name_en", "slug"]
    search_fields = ["name_es", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(SdgTarget)
class SdgTargetAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["code", "goal", "description_es"]
    list_filter = ["goal"]
    search_fields = ["code", "description_es", "description_en"]


@admin.register(Alignment)
class AlignmentAdmin(PublishesData, admin.ModelAdmin):
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
class SourceAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["publication", "publisher", "published", "is_mirror", "url"]
    list_filter = ["is_mirror"]
    search_fields = ["key", "publication", "publisher", "url"]


@admin.register(TitleAlias)
class TitleAliasAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["commitment", "title", "source"]
    search_fields = ["commitment__code", "title"]
    list_select_related = ["commitment", "source"]
    autocomplete_fields = ["commitment", "source"]


@admin.register(IrmAssessment)
class IrmAssessmentAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["commitment", "report_kind", "completion", "early_results", "source"]
    list_filter = ["report_kind", "completion", "early_results", "starred", "pending"]
    search_fields = ["commitment__code", "note"]
    list_select_related = ["commitment", "source"]
    autocomplete_fields = ["commitment", "source"]


class IrmReportFigureInline(admin.TabularInline):
    model = IrmReportFigure
    extra = 0


@admin.register(IrmReport)
class IrmReportAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["title", "action_plan", "kind", "source"]
    list_filter = ["kind"]
    list_select_related = ["action_plan", "source"]
    autocomplete_fields = ["action_plan", "source"]
    inlines = [IrmReportFigureInline]
