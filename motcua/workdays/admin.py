from django.contrib import admin

from .models import DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason", "legal_basis")
    list_filter = ("kind",)
    search_fields = ("reason", "legal_basis")
    date_hierarchy = "date"
