"""What the API shows of each model. Each list's queryset (views.py) reads exactly what its
serializer prints, in a fixed number of queries per page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from deadlines import statistics
from deadlines.models import Deadline
from dossiers.models import Committee, Dossier, Minister
from intake.forms import LetterForm, version_of
from letters.models import Letter, SourceDocument
from questions.models import Answer, Question, QuestionLink

from .fields import BriefSerializer, PageLinkField, RowLinkField


class CommitteeBriefSerializer(BriefSerializer):
    class Meta:
        model = Committee
        fields = ["id", "name", "short_name", "chamber"]


class MinisterBriefSerializer(BriefSerializer):
    class Meta:
        model = Minister
        fields = ["id", "portfolio", "name"]


class DossierSerializer(serializers.ModelSerializer):
    url = RowLinkField("api:dossier-detail")
    web_url = PageLinkField()

    class Meta:
        model = Dossier
        fields = ["id", "url", "web_url", "number", "title", "chamber"]


class DossierBriefSerializer(BriefSerializer):
    class Meta:
        model = Dossier
        fields = ["id", "number", "title"]


class DeadlineBriefSerializer(BriefSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "status", "due_date", "answered_on", "days_late"]


class LetterSerializer(serializers.ModelSerializer):
    url = RowLinkField("api:letter-detail")
    web_url = PageLinkField()
    committee = CommitteeBriefSerializer(read_only=True)
    minister = MinisterBriefSerializer(read_only=True)
    dossier = DossierBriefSerializer(read_only=True)
    parties = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True, source="party_list")
    # None for a letter without a deadline (DRF reads a missing one-to-one as None).
    deadline = DeadlineBriefSerializer(read_only=True, allow_null=True)
    version = serializers.SerializerMethodField(
        help_text="The letter's last change; send it back with a correction (PATCH)."
    )

    class Meta:
        model = Letter
        fields = [
            "id",
            "url",
            "web_url",
            "kind",
            "date",
            "received_on",
            "chamber",
            "sender",
            "recipient",
            "subject",
            "committee",
            "minister",
            "dossier",
            "dossier_document",
            "parties",
            "reference",
            "cites_reference",
            "cites_date",
            "document_number",
            "term_days",
            "promised_date",
            "promised_term_days",
            "bill_round",
            "expected_reply_on",
            "in_reply_to",
            "link_confidence",
            "source",
            "first_page",
            "last_page",
            "deadline",
            "confirmed_at",
            "version",
        ]

    def get_version(self, letter: Letter) -> str:
        return version_of(letter)


class LetterCorrectionSerializer(serializers.Serializer):
    """What a correction (PATCH) may send: `version` and any of the fields a clerk corrects on the
    correction page, validated by that page's form (intake.forms.LetterForm)."""

    version = serializers.CharField(help_text="The `version` of the letter as read.")
    confirm = serializers.BooleanField(required=False, help_text="Also confirm the letter.")
    dossier_number = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False)
    date = serializers.DateField(required=False, allow_null=True)
    received_on = serializers.DateField(required=False, allow_null=True)
    chamber = serializers.CharField(required=False, allow_blank=True)
    committee = serializers.IntegerField(required=False, allow_null=True)
    minister = serializers.IntegerField(required=False, allow_null=True)
    sender = serializers.CharField(required=False, allow_blank=True)
    recipient = serializers.CharField(required=False, allow_blank=True)
    subject = serializers.CharField(required=False, allow_blank=True)
    dossier_document = serializers.CharField(required=False, allow_blank=True)
    reference = serializers.CharField(required=False, allow_blank=True)
    cites_reference = serializers.CharField(required=False, allow_blank=True)
    cites_date = serializers.DateField(required=False, allow_null=True)
    document_number = serializers.CharField(required=False, allow_blank=True)
    term_days = serializers.IntegerField(required=False, allow_null=True)
    promised_date = serializers.DateField(required=False, allow_null=True)
    promised_term_days = serializers.IntegerField(required=False, allow_null=True)
    in_reply_to = serializers.IntegerField(required=False, allow_null=True)
    parties = serializers.ListField(child=serializers.IntegerField(), required=False)
    first_page = serializers.IntegerField(required=False, allow_null=True)
    last_page = serializers.IntegerField(required=False, allow_null=True)
    bill_round = serializers.IntegerField(required=False, allow_null=True)
    expected_reply_on = serializers.DateField(required=False, allow_null=True)


# Every field of the correction form is described above (the schema tests check it stays so).
CORRECTED_FIELDS = [*LetterForm.Meta.fields, "dossier_number"]


class ItemCorrectionSerializer(serializers.Serializer):
    """A correction of one question or answer: its letter's `version` and the fields to change."""

    version = serializers.CharField(help_text="The `version` of its letter as read.")
    label = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False)
    page = serializers.IntegerField(required=False, min_value=1)


class ConflictSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    theirs = serializers.CharField(help_text="What the field holds now.")
    mine = serializers.CharField(help_text="What this request sent.")
    by = serializers.CharField(help_text="Who changed it meanwhile.")
    at = serializers.DateTimeField()


class EditConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    version = serializers.CharField(help_text="The letter's version now: read it again and resend.")
    conflicts = ConflictSerializer(many=True)


class CorrectionResultSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.CharField())
    letter = LetterSerializer()


class ConfirmSerializer(serializers.Serializer):
    letters = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class ConfirmResultSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField(help_text="How many of them still needed confirming.")


class QuestionSerializer(serializers.ModelSerializer):
    url = RowLinkField("api:question-detail")
    web_url = PageLinkField("get_letter_url")
    thread_url = RowLinkField("api:question-thread")
    party = serializers.SlugRelatedField(slug_field="name", read_only=True)
    member = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "url",
            "web_url",
            "thread_url",
            "letter",
            "label",
            "order",
            "page",
            "party",
            "member",
            "text",
        ]


class AnswerSerializer(serializers.ModelSerializer):
    url = RowLinkField("api:answer-detail")
    web_url = PageLinkField("get_letter_url")
    covers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    refers_to = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Answer
        fields = ["id", "url", "web_url", "letter", "label", "order", "page", "covers", "refers_to", "text"]


class QuestionLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionLink
        fields = ["id", "earlier", "later", "kind", "source", "score"]


class ThreadQuestionSerializer(QuestionSerializer):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "answers"]


class ThreadSerializer(serializers.Serializer):
    """A question's thread: every question linked to it, oldest letter first, with their answers."""

    questions = ThreadQuestionSerializer(many=True, source="thread")
    links = QuestionLinkSerializer(many=True)


class DeadlineLetterSerializer(serializers.ModelSerializer):
    url = RowLinkField("api:letter-detail")
    committee = CommitteeBriefSerializer(read_only=True)
    dossier = DossierBriefSerializer(read_only=True)

    class Meta:
        model = Letter
        fields = ["id", "url", "kind", "date", "chamber", "subject", "reference", "committee", "dossier"]


class DeadlineSerializer(serializers.ModelSerializer):
    url = RowLinkField("api:deadline-detail")
    web_url = PageLinkField()
    letter = DeadlineLetterSerializer(read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "url",
            "web_url",
            "letter",
            "status",
            "term_days",
            "original_due_date",
            "due_date",
            "answered_on",
            "days_late",
            "late_postponements",
            "unanswered_questions",
            "status_changed_at",
        ]


class ImportSerializer(serializers.ModelSerializer):
    """An uploaded file and its import: poll `status` until it is no longer pending or processing."""

    url = RowLinkField("api:import-detail")
    letters_url = RowLinkField("api:import-letters")
    web_url = PageLinkField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    error = serializers.CharField(source="error_text", read_only=True)
    warnings = serializers.ListField(source="warning_texts", child=serializers.CharField(), read_only=True)

    class Meta:
        model = SourceDocument
        fields = [
            "id",
            "url",
            "letters_url",
            "web_url",
            "original_name",
            "size",
            "status",
            "status_display",
            "page_count",
            "pages_done",
            "error",
            "warnings",
            "uploaded_at",
            "imported_at",
        ]


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="One letter file, as PDF.")


def absolute(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


# The figures of one group, named as the statistics page's columns (deadlines.statistics.COLUMNS):
# counts are whole numbers, shares (0-100) and days may be fractions, or null without letters to
# count them from.
FIGURE_FIELDS = {
    "count": lambda label: serializers.IntegerField(help_text=label),
    "percent": lambda label: serializers.FloatField(allow_null=True, help_text=label),
    "days": lambda label: serializers.FloatField(allow_null=True, help_text=label),
}
FiguresSerializer = type(
    "FiguresSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One group's reply-time figures, as a row of the statistics page.",
        "key": serializers.CharField(
            allow_null=True,
            help_text="The group: chamber, committee or minister key, or the month's first day.",
        ),
        "label": serializers.CharField(help_text="The group as the page names it."),
        **{name: FIGURE_FIELDS[unit](label) for name, label, unit in statistics.COLUMNS},
    },
)


class LateBinSerializer(serializers.Serializer):
    label = serializers.CharField()
    letters = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    """The statistics page's tables: the whole selection, per chamber, committee, minister and month
    asked (each table in the page's order), and the letters answered late per number of days late."""

    total = FiguresSerializer()
    chamber = FiguresSerializer(many=True)
    committee = FiguresSerializer(many=True)
    minister = FiguresSerializer(many=True)
    month = FiguresSerializer(many=True)
    days_late = LateBinSerializer(many=True)

    @staticmethod
    def of(tables: dict[str, list[statistics.Figures]]) -> dict:
        """What `statistics.tables` counted, in this serializer's shape."""

        def row(grouping: str, figures: statistics.Figures) -> dict:
            return {
                "key": None if figures.key in (None, "") else str(figures.key),
                "label": statistics.label(grouping, figures),
                **{name: getattr(figures, name) for name, _label, _unit in statistics.COLUMNS},
            }

        total = statistics.total(tables["chamber"])
        return {
            "total": {**row("total", total), "key": None, "label": str(_("Total"))},
            **{
                grouping: [row(grouping, figures) for figures in groups]
                for grouping, groups in tables.items()
            },
            "days_late": [
                {"label": label, "letters": letters}
                for label, letters in zip(statistics.late_bin_labels(), total.late_bins(), strict=True)
            ],
        }
