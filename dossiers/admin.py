from django.contrib import admin

from .models import Committee, Dossier, Member, Minister, Party


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "chamber", "clerk", "chair"]
    list_filter = ["chamber"]
    search_fields = ["name", "short_name", "clerk", "chair"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "chamber"]
    list_filter = ["chamber"]
    search_fields = ["number", "title"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "aliases"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "party", "chamber"]
    list_filter = ["chamber", "party"]
    search_fields = ["name", "party__name"]
    list_select_related = ["party"]


@admin.register(Minister)
class MinisterAdmin(admin.ModelAdmin):
    list_display = ["portfolio", "name", "ministry"]
    search_fields = ["portfolio", "name", "ministry"]
