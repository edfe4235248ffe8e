from django.contrib import admin

from ogp_portal.admin import PublishesData

from .models import (
    AgendaItem,
    Agreement,
    CoordinationSpace,
    Meeting,
    MeetingDocument,
    Member,
    Representative,
)


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["date", "title", "modality", "place", "link"]
    show_change_link = True


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["institution", "since", "until"]
    autocomplete_fields = ["institution"]
    show_change_link = True


@admin.register(CoordinationSpace)
class CoordinationSpaceAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["name", "slug", "commitment"]
    search_fields = ["name", "description", "commitment__code"]
    list_select_related = ["commitment"]
    autocomplete_fields = ["commitment"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline, MeetingInline]


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 1
    fields = ["name", "position", "email"]


@admin.register(Member)
class MemberAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["institution", "space", "since", "until"]
    list_filter = ["space"]
    search_fields = ["institution__name", "institution__acronym", "representatives__name"]
    list_select_related = ["institution", "space"]
    autocomplete_fields = ["space", "institution"]
    inlines = [RepresentativeInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1
    fields = ["position", "title", "description"]


class MeetingDocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 0
    fields = ["title", "file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


class AgreementInline(admin.StackedInline):
    model = Agreement
    extra = 0
    fields = ["text", "responsible", "due_date", "status", "done_date", "commitments"]
    autocomplete_fields = ["responsible", "commitments"]


@admin.register(Meeting)
class MeetingAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["title", "space", "date", "modality", "place"]
    list_filter = ["space", "modality"]
    search_fields = ["title", "place", "space__name"]
    list_select_related = ["space"]
    date_hierarchy = "date"
    autocomplete_fields = ["space", "attendees"]
    fieldsets = [
        (None, {"fields": ["space", "title", "date", "ends_at"]}),
        (None, {"fields": ["modality", "place", "link"]}),
        (None, {"fields": ["attendees", "minutes"]}),
    ]
    inlines = [AgendaItemInline, MeetingDocumentInline, AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(PublishesData, admin.ModelAdmin):
    list_display = ["__str__", "meeting", "responsible", "due_date", "status", "done_date"]
    list_filter = ["status", "meeting__space"]
    search_fields = ["text", "responsible__name", "responsible__acronym", "meeting__title"]
    list_select_related = ["meeting", "responsible"]
    autocomplete_fields = ["meeting", "responsible", "commitments"]
    date_hierarchy = "due_date"
