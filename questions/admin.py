from django.contrib import admin

from .models import Answer, Question, QuestionLink


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "letter", "label", "party", "member", "page"]
    list_filter = ["party", "letter__kind", "letter__committee"]
    search_fields = ["text", "label", "member__name"]
    list_select_related = ["letter", "party", "member"]
    raw_id_fields = ["letter", "party", "member"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "letter", "label", "page"]
    list_filter = ["letter__committee"]
    search_fields = ["text", "label"]
    list_select_related = ["letter"]
    raw_id_fields = ["letter", "covers", "refers_to"]


@admin.register(QuestionLink)
class QuestionLinkAdmin(admin.ModelAdmin):
    list_display = ["earlier", "later", "kind", "source", "score", "created_at"]
    list_filter = ["kind", "source"]
    search_fields = ["earlier__text", "later__text"]
    raw_id_fields = ["earlier", "later", "created_by"]
