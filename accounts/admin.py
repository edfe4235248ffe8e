from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Membership

User = get_user_model()


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["institution", "state"]
    fields = ["role", "institution", "state"]


class UserWithMembershipAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
    list_display = [*UserAdmin.list_display, "membership_role"]
    list_select_related = ["membership"]

    @admin.display(description=Membership._meta.get_field("role").verbose_name)
    def membership_role(self, user):
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"


admin.site.unregister(User)
admin.site.register(User, UserWithMembershipAdmin)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "institution", "state"]
    list_filter = ["role", "state"]
    search_fields = ["user__username", "user__email", "institution__name"]
    list_select_related = ["user", "institution", "state"]
    autocomplete_fields = ["user", "institution", "state"]
