from django.contrib import admin

from .models import Broadcast, Bulletin, Cover, HelpRequest, Village


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Read-only here: officers write bulletins, and the worker voices them, at /can-bo/loa/."""

    list_display = ["procedure_code", "agency", "render_state", "audio_seconds", "edited_at"]
    list_filter = ["agency", "render_state"]
    search_fields = ["procedure_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    """The schedule's log, read-only: it is kept at /can-bo/lich-phat-loa/."""

    list_display = ["day", "time", "bulletin", "agency", "aired_at", "aired_by", "aired_kind"]
    list_filter = ["agency", "aired_kind"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cover)
class CoverAdmin(admin.ModelAdmin):
    """Which member of the community digital team covers which village (also at /can-bo/to-cong-nghe/)."""

    list_display = ["village", "member"]
    list_filter = ["village__agency"]
    autocomplete_fields = ["village"]
    raw_id_fields = ["member"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    """Read-only: the desk and the community team answer help requests at /can-bo/ho-tro/."""

    list_display = ["pk", "agency", "village", "state", "priority", "created_at", "assigned_to"]
    list_filter = ["agency", "state", "priority"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
