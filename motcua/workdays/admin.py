from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import DayOverride
from .services import weekday_name

# Django's Vietnamese locale names no input format, so "02/01/2026" would be read month first (1 February);
# a calendar is typed day first, and the admin's date picker writes ISO dates.
DAY_FIRST = ["%d/%m/%Y", "%Y-%m-%d"]


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    formfield_overrides = {
        models.DateField: {
            "form_class": forms.DateField,
            "input_formats": DAY_FIRST,
            "widget": AdminDateWidget(format="%d/%m/%Y"),
        }
    }
    list_display = ("date", "weekday", "kind", "worked_on", "name", "source", "confirmed")
    list_filter = ("confirmed", "kind")
    search_fields = ("name", "name_en", "source_number", "note")
    date_hierarchy = "date"
    actions = ["mark_confirmed"]
    fieldsets = (
        (None, {"fields": ("date", "kind", "worked_on", "name", "name_en")}),
        (
            _("Căn cứ pháp lý"),
            {
                "fields": (
                    "source_number",
                    "source_date",
                    "source_issuer",
                    "source_article",
                    "source_url",
                    "confirmed",
                    "note",
                )
            },
        ),
    )

    @admin.display(description=_("thứ"))
    def weekday(self, row: DayOverride) -> str:
        return weekday_name(row.date)

    @admin.display(description=_("căn cứ pháp lý"))
    def source(self, row: DayOverride) -> str:
        return row.source

    @admin.action(description=_("Đánh dấu đã xác nhận (đã đối chiếu với văn bản)"))
    def mark_confirmed(self, request, queryset) -> None:
        count = queryset.filter(confirmed=False).update(confirmed=True)
        self.message_user(
            request,
            ngettext("Đã xác nhận %(n)d ngày.", "Đã xác nhận %(n)d ngày.", count) % {"n": count},
            messages.SUCCESS,
        )
