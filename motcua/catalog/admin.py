from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    ExemptionCategory,
    Fee,
    FormField,
    GuideStep,
    Procedure,
    ProcedureExemption,
    RequiredDocument,
)


class FeeInline(admin.StackedInline):
    model = Fee
    extra = 0
    fields = (
        ("kind", "channel", "unit"),
        "label",
        ("amount_vnd", "later_amount_vnd", "later_from", "cap_vnd"),
        ("source", "source_article"),
        ("source_issuer", "source_date", "effective_from"),
        "note",
        ("label_en", "note_en"),
        ("source_en", "source_article_en"),
    )


class ExemptionInline(admin.TabularInline):
    model = ProcedureExemption
    extra = 0


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class StepInline(admin.StackedInline):
    model = GuideStep
    extra = 0


class FormFieldInline(admin.StackedInline):
    model = FormField
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "level", "valid_from", "valid_to", "popularity")
    list_filter = ("field", "level")
    search_fields = ("code", "name", "search_text")
    inlines = [FeeInline, ExemptionInline, DocumentInline, StepInline, FormFieldInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "field",
                    "level",
                    ("valid_from", "valid_to"),
                    "popularity",
                    "min_identity_level",
                )
            },
        ),
        (_("Hướng dẫn"), {"fields": ("summary", "result", "who_may_apply", "channels", "keywords")}),
        (_("Thời hạn"), {"fields": (("time_kind", "time_value"), "time_note")}),
        (_("Pháp lý và tờ khai"), {"fields": ("legal_basis", "source_note", "form_title")}),
        (
            _("Tiếng Anh"),
            {
                "fields": (
                    "name_en",
                    "field_en",
                    "summary_en",
                    "result_en",
                    "who_may_apply_en",
                    "time_note_en",
                    "source_note_en",
                ),
                "description": _(
                    "Để trống thì trang tiếng Anh hiện bản tiếng Việt và ghi rõ là chưa dịch. Căn cứ pháp lý "
                    "và lựa chọn của tờ khai: thêm khóa title_en, article_en, label_en."
                ),
            },
        ),
    )


@admin.register(ExemptionCategory)
class ExemptionCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "evidence")
    search_fields = ("code", "name")
