from django.contrib import admin

from .models import State


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["inegi_code", "official_name", "short_name", "abbreviation"]
    search_fields = ["inegi_code", "official_name", "short_name", "abbreviation"]
    prepopulated_fields = {"slug": ["short_name"]}
