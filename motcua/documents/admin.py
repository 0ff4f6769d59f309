from django.contrib import admin

from .models import DocumentTemplate


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "number", "title", "legal_basis", "article", "valid_from", "valid_to"]
    list_filter = ["kind", "legal_basis"]
    search_fields = ["title", "legal_basis"]
    ordering = ["kind", "-valid_from"]
