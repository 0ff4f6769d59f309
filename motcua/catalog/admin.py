from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    ExemptionCategory,
    Fee,
    FormField,
    GuideStep,
    LifeEvent,
    LifeEventStep,
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
    list_filter = ("field", "level", "executing_body")
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
                    "executing_body",
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


class LifeEventStepInline(admin.StackedInline):
    model = LifeEventStep
    extra = 0
    fields = (
        ("order", "procedure_code"),
        "title",
        "title_en",
        "note",
        "note_en",
        ("optional", "joined", "covers"),
    )


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [LifeEventStepInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "order", "icon", "summary", "in_order")}),
        (
            _("Giấy tờ và pháp lý"),
            {
                "fields": ("bring", "legal_notes"),
                "description": _(
                    'Giấy tờ mang theo: danh sách {"name", "note"}; trang tự thêm các giấy tờ mà từ hai '
                    'thủ tục trở lên cùng yêu cầu (cùng tên). Ghi chú pháp lý: danh sách {"text", "source"}, '
                    "source ghi số văn bản, ngày và điều khoản."
                ),
            },
        ),
        (
            _("Tiếng Anh"),
            {
                "fields": ("name_en", "summary_en"),
                "description": _(
                    "Để trống thì trang tiếng Anh hiện bản tiếng Việt và ghi rõ là chưa dịch. Giấy tờ và ghi "
                    "chú pháp lý: thêm khóa name_en, note_en, text_en, source_en."
                ),
            },
        ),
    )
