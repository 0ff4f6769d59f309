from django.contrib import admin

from .models import FieldCode, SyncRecord


@admin.register(FieldCode)
class FieldCodeAdmin(admin.ModelAdmin):
    list_display = ["field", "code", "source"]
    search_fields = ["field", "code"]


@admin.register(SyncRecord)
class SyncRecordAdmin(admin.ModelAdmin):
    """Read-only: records are written by the transitions and changed by the worker or the "Gửi lại" button."""

    list_display = ["pk", "dossier", "state", "attempts", "problem", "created_at", "sent_at"]
    list_filter = ["state", "problem"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier"]
    readonly_fields = [f.name for f in SyncRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
