from django.contrib import admin

from .models import CoordinationSpace, Meeting


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["date", "title", "place"]


@admin.register(CoordinationSpace)
class CoordinationSpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "commitment"]
    search_fields = ["name", "description", "commitment__code"]
    list_select_related = ["commitment"]
    autocomplete_fields = ["commitment"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "date", "place"]
    list_filter = ["space"]
    search_fields = ["title", "place", "space__name"]
    list_select_related = ["space"]
    date_hierarchy = "date"
    autocomplete_fields = ["space"]
