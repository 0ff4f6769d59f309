from django.contrib import admin

from .models import Message, Preference, SmsBudget


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "kind",
        "address",
        "status",
        "provider",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "channel", "kind", "provider"]
    search_fields = ["address", "dossier__code", "provider_message_id"]
    raw_id_fields = ["recipient", "dossier", "event"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):  # messages are written by the services, never by hand
        return False


@admin.register(SmsBudget)
class SmsBudgetAdmin(admin.ModelAdmin):
    list_display = ["agency", "month", "used", "limit"]
    list_filter = ["agency"]
    readonly_fields = ["used"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channels", "updated_at"]
    raw_id_fields = ["user"]
