"""The REST API (/api/v1/) and the page where a user manages their API tokens.

Reads list what the pages list, through the same FilterSets; writes call the clerk's use cases in
`intake` (upload, correct, confirm), never models directly."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from deadlines import statistics
from deadlines.filters import DeadlineFilterSet, StatisticsFilterSet
from deadlines.models import Deadline
from dossiers.filters import DossierFilterSet
from dossiers.models import Dossier, Party
from intake import imports
from intake.corrections import confirm_letters
from intake.forms import UploadForm
from intake.tasks import receive_upload
from letters.filters import LetterFilterSet, SourceDocumentFilterSet
from letters.models import Letter, SourceDocument
from letters.views import UNSHOWN
from questions.filters import AnswerFilterSet, QuestionFilterSet
from questions.models import Answer, Question
from questions.views import thread_context

from . import serializers
from .corrections import correct
from .forms import TokenForm
from .models import ApiToken
from .pagination import InSourceCursorPagination
from .services import create_token, revoke_token

INVALID = OpenApiResponse(description="Invalid input: `detail`, `code` and `errors` per field.")
CONFLICT = OpenApiResponse(
    serializers.EditConflictSerializer, description="Another clerk changed the same field meanwhile."
)


class ApiViewSet(viewsets.GenericViewSet):
    """An API view answers for itself: DRF exempts its views from the site's login redirect (which
    only a browser could follow), and its own authentication (a token or the session) and
    permissions (api.permissions) decide."""


def letters() -> QuerySet[Letter]:
    """Letters with what LetterSerializer prints, in a fixed number of queries per page."""
    return (
        Letter.objects.select_related("committee", "minister", "dossier", "deadline")
        # As a plain list: a related manager per letter, each cloning a queryset to read the
        # prefetched rows, cost more than the rest of a letter's serialisation.
        .prefetch_related(Prefetch("parties", queryset=Party.objects.only("name"), to_attr="party_list"))
        .defer("text", "search_vector", "link_note")
    )


class DossierViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = Dossier.objects.all()
    serializer_class = serializers.DossierSerializer
    filterset_class = DossierFilterSet


@extend_schema_view(
    partial_update=extend_schema(
        summary="Correct a letter (clerks)",
        request=serializers.LetterCorrectionSerializer,
        responses={200: serializers.CorrectionResultSerializer, 400: INVALID, 409: CONFLICT},
    ),
)
class LetterViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = serializers.LetterSerializer
    filterset_class = LetterFilterSet
    write_permission = "letters.change_letter"

    def get_queryset(self) -> QuerySet[Letter]:
        return letters()

    def partial_update(self, request, pk: int) -> Response:
        """Correct a letter's fields, as on its correction page: send the `version` read with it;
        a field another clerk changed meanwhile to something else is a conflict (409)."""
        payload = validated(serializers.LetterCorrectionSerializer, request.data)
        letter = get_object_or_404(
            Letter.objects.select_related("dossier", "source", "committee", "minister", "in_reply_to").defer(
                *UNSHOWN
            ),
            pk=pk,
        )
        version, confirm = payload.pop("version"), payload.pop("confirm", False)
        changed, conflict = correct(
            request, letter=letter, letter_fields=payload, version=version, confirm=confirm
        )
        return conflict or corrected(request, letter.pk, changed)

    @extend_schema(
        summary="Confirm letters (clerks)",
        request=serializers.ConfirmSerializer,
        responses={200: serializers.ConfirmResultSerializer, 400: INVALID},
    )
    @action(detail=False, methods=["post"])
    def confirm(self, request) -> Response:
        payload = validated(serializers.ConfirmSerializer, request.data)
        confirmed = confirm_letters(letter_ids=payload["letters"], user=request.user, now=timezone.now())
        return Response({"confirmed": confirmed})


def validated(serializer_class, data) -> dict[str, Any]:
    """The request's fields checked by `serializer_class`; a field it does not know is an error
    rather than silently ignored (a misspelt correction would otherwise change nothing)."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    unknown = sorted(set(data) - set(serializer.fields))
    if unknown:
        raise exceptions.ValidationError({name: [_("Unknown field.")] for name in unknown})
    return dict(serializer.validated_data)


def corrected(request, letter_id: int, changed: set[str]) -> Response:
    letter = letters().get(pk=letter_id)
    return Response(
        {
            "changed": sorted(changed),
            "letter": serializers.LetterSerializer(letter, context={"request": request}).data,
        }
    )


class ItemViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Questions or answers; a clerk corrects one (PATCH) as on its letter's correction page."""

    noun = ""
    write_permission = "letters.change_letter"

    @extend_schema(
        request=serializers.ItemCorrectionSerializer,
        responses={200: serializers.CorrectionResultSerializer, 400: INVALID, 409: CONFLICT},
    )
    def partial_update(self, request, pk: int) -> Response:
        """Correct the label, text or page; send the `version` of its letter as read."""
        payload = validated(serializers.ItemCorrectionSerializer, request.data)
        item = get_object_or_404(self.get_queryset().model.objects.only("letter_id"), pk=pk)
        letter = get_object_or_404(
            Letter.objects.select_related("dossier", "source", "committee", "minister", "in_reply_to").defer(
                *UNSHOWN
            ),
            pk=item.letter_id,
        )
        version = payload.pop("version")
        changed, conflict = correct(
            request,
            letter=letter,
            letter_fields={},
            version=version,
            item=item,
            noun=self.noun,
            item_fields=payload,
        )
        return conflict or corrected(request, letter.pk, changed)


class QuestionViewSet(ItemViewSet):
    serializer_class = serializers.QuestionSerializer
    filterset_class = QuestionFilterSet
    noun = "question"

    def get_queryset(self) -> QuerySet[Question]:
        return Question.objects.select_related("party", "member").defer("search_vector")

    @extend_schema(summary="A question's thread", responses=serializers.ThreadSerializer, filters=False)
    @action(detail=True, pagination_class=None, filterset_class=None)
    def thread(self, request, pk: int) -> Response:
        """Every question linked to this one (follow-ups, questions asked again), oldest first, with
        their answers, and the links between them: what the thread page shows."""
        question = get_object_or_404(Question.objects.only("pk"), pk=pk)
        context = thread_context(question)
        return Response(serializers.ThreadSerializer(context, context={"request": request}).data)


class AnswerViewSet(ItemViewSet):
    serializer_class = serializers.AnswerSerializer
    filterset_class = AnswerFilterSet
    noun = "answer"

    def get_queryset(self) -> QuerySet[Answer]:
        return Answer.objects.defer("search_vector").prefetch_related(
            Prefetch("covers", queryset=Question.objects.only("pk")),
            Prefetch("refers_to", queryset=Answer.objects.only("pk")),
        )


class DeadlineViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = serializers.DeadlineSerializer
    filterset_class = DeadlineFilterSet

    def get_queryset(self) -> QuerySet[Deadline]:
        return Deadline.objects.select_related("letter__committee", "letter__dossier").defer(
            "letter__text", "letter__search_vector", "letter__link_note"
        )


class StatisticsViewSet(ApiViewSet):
    """Reply-time figures, counted as the statistics page ("Cijfers") counts them, for the letters
    its filters select."""

    queryset = Deadline.objects.all()
    filterset_class = StatisticsFilterSet

    @extend_schema(
        summary="Reply-time statistics", responses={200: serializers.StatisticsSerializer, 400: INVALID}
    )
    def list(self, request) -> Response:
        tables = statistics.tables(self.filter_queryset(self.get_queryset()))
        return Response(serializers.StatisticsSerializer(serializers.StatisticsSerializer.of(tables)).data)


class ImportViewSet(ApiViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Uploaded files and their imports. A clerk uploads a PDF (202, with the import's address in
    `Location`), polls the import until its `status` is no longer pending or processing, then reads
    its letters."""

    serializer_class = serializers.ImportSerializer
    filterset_class = SourceDocumentFilterSet
    parser_classes = [MultiPartParser, FormParser]
    write_permission = "letters.add_sourcedocument"

    def get_queryset(self) -> QuerySet:
        if self.action == "letters":
            return letters()
        return SourceDocument.objects.defer("extracted_text", "parse_result")

    @extend_schema(
        summary="Upload a letter PDF (clerks)",
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={
            202: OpenApiResponse(serializers.ImportSerializer, description="Stored; its import is queued."),
            200: OpenApiResponse(
                serializers.ImportSerializer, description="These bytes were uploaded before."
            ),
            400: INVALID,
        },
    )
    def create(self, request) -> Response:
        upload = validated(serializers.UploadSerializer, request.data)["file"]
        # The intake page's checks (a PDF, within the size limit), then its use case.
        form = UploadForm(data={}, files=MultiValueDict({"files": [upload]}))
        if not form.is_valid():
            raise exceptions.ValidationError({"file": form.errors["files"]})
        try:
            received = receive_upload(uploaded_file=upload, uploaded_by=request.user)
        except imports.UploadRejected as rejected:
            raise exceptions.ValidationError({"file": [rejected.message]}) from rejected
        # Read again: without a broker the import has already run.
        source = self.get_queryset().get(pk=received.source.pk)
        data = serializers.ImportSerializer(source, context={"request": request}).data
        return Response(
            data,
            status=status.HTTP_202_ACCEPTED if received.created else status.HTTP_200_OK,
            headers={"Location": data["url"]},
        )

    @extend_schema(
        summary="An import's letters", responses=serializers.LetterSerializer(many=True), filters=True
    )
    @action(
        detail=True,
        serializer_class=serializers.LetterSerializer,
        filterset_class=LetterFilterSet,
        pagination_class=InSourceCursorPagination,
    )
    def letters(self, request, pk: int) -> Response:
        """The letters found in the file, in the order they stand in it."""
        source = get_object_or_404(SourceDocument.objects.only("pk"), pk=pk)
        queryset = self.filter_queryset(self.get_queryset().filter(source=source))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TokenSettingsView(TemplateView):
    """A user's API tokens: make one (its secret shown once, on this response only), see when
    each was last used, revoke one."""

    template_name = "api/tokens.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TokenForm())
        context["tokens"] = list(ApiToken.objects.filter(user=self.request.user))
        context["docs_url"] = reverse("api:docs")
        return context

    def post(self, request):
        if request.POST.get("action") == "revoke":
            token_id = request.POST.get("token", "")
            if token_id.isdigit() and revoke_token(
                user=request.user, token_id=int(token_id), now=timezone.now()
            ):
                messages.success(
                    request, _("The token is revoked; programs using it are refused from now on.")
                )
            return HttpResponseRedirect(reverse("api:tokens"))
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        token, secret = create_token(user=request.user, name=form.cleaned_data["name"], now=timezone.now())
        return self.render_to_response(self.get_context_data(new_token=token, secret=secret), status=201)
