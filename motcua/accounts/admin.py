from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "identity_level", "is_staff")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Công dân"), {"fields": ("full_name", "phone", "identity_level")}),
    )
