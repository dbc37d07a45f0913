from django.contrib import admin

from .models import Letter, LetterChange, SourceDocument


class LetterInline(admin.TabularInline):
    model = Letter
    fields = ["kind", "date", "sender", "subject", "first_page", "last_page"]
    show_change_link = True
    extra = 0


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "page_count", "size", "uploaded_at", "imported_at"]
    list_filter = ["status", "error_code"]
    search_fields = ["original_name", "sha256", "error_message"]
    # The clerk decides about a probable duplicate on its review page; a select of every letter
    # would not fit on this one.
    readonly_fields = [
        "sha256",
        "size",
        "uploaded_at",
        "imported_at",
        "duplicate_of",
        "duplicate_decided_by",
        "duplicate_decided_at",
    ]
    date_hierarchy = "uploaded_at"
    inlines = [LetterInline]


class LetterChangeInline(admin.TabularInline):
    model = LetterChange
    fields = ["changed_at", "user", "field", "before", "after"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "date",
        "committee",
        "dossier",
        "reference",
        "link_confidence",
        "confirmed_at",
    ]
    list_filter = ["kind", "chamber", "link_confidence", "committee"]
    search_fields = [
        "subject",
        "sender",
        "recipient",
        "reference",
        "cites_reference",
        "document_number",
        "text",
    ]
    date_hierarchy = "date"
    list_select_related = ["committee", "dossier"]
    raw_id_fields = ["in_reply_to", "source", "minister", "dossier", "committee"]
    filter_horizontal = ["parties", "members"]
    inlines = [LetterChangeInline]
