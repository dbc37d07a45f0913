from django.contrib import admin

from .models import (
    AlertProfile,
    CommitteeCalendar,
    Deadline,
    DeadlineEvent,
    Delivery,
    Postponement,
    Subscription,
)


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


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "scope", "committee", "dossier", "letter", "active"]
    list_filter = ["scope", "active"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user", "letter"]


@admin.register(AlertProfile)
class AlertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    raw_id_fields = ["user"]


@admin.register(CommitteeCalendar)
class CommitteeCalendarAdmin(admin.ModelAdmin):
    """Deleting an address revokes it; its user's alerts page makes a new one while they follow the
    committee. Addresses are only made there, so nothing is added or changed here."""

    list_display = ["user", "committee", "created_at"]
    list_filter = ["committee"]
    search_fields = ["user__username", "user__email", "committee__name"]
    list_select_related = ["user", "committee"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user", "events"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error"]
