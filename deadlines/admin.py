from django.contrib import admin

from .models import Deadline, DeadlineEvent, Postponement


class PostponementInline(admin.TabularInline):
    model = Postponement
    raw_id_fields = ["letter"]
    extra = 0


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["letter", "status", "due_date", "original_due_date", "answered_on", "days_late"]
    list_filter = ["status", "letter__chamber", "letter__committee"]
    search_fields = ["letter__subject", "letter__reference", "letter__sender"]
    date_hierarchy = "due_date"
    list_select_related = ["letter"]
    raw_id_fields = ["letter"]
    inlines = [PostponementInline]


@admin.register(DeadlineEvent)
class DeadlineEventAdmin(admin.ModelAdmin):
    list_display = ["deadline", "kind", "from_status", "to_status", "due_date", "days", "created_at"]
    list_filter = ["kind", "to_status"]
    date_hierarchy = "created_at"
    raw_id_fields = ["deadline"]
