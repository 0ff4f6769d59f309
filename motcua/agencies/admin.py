from django.contrib import admin

from .models import Agency, Body, Officer


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "agency_id", "province_code", "ward_code", "is_active")
    search_fields = ("name", "agency_id")
    list_filter = ("province_code", "is_active")
    inlines = [BodyInline, OfficerInline]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "body", "title")
    list_select_related = ("user", "agency", "body")
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ["user", "agency"]
