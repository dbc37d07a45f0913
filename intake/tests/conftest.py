from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake import imports
from letters.models import SourceDocument
from letters.parser.result import Notice, ParsedAnswer, ParsedLetter, ParsedQuestion, ParseResult

NOW = datetime(2025, 11, 24, 9, 0, tzinfo=UTC)


def upload(content: bytes, name: str = "brief.pdf"):
    return imports.store_upload(uploaded_file=File(io.BytesIO(content), name=name))


@pytest.fixture
def post_upload(clerk_client, settings, tmp_path, imports_inline, django_capture_on_commit_callbacks):
    """Posts a PDF through the clerk's upload page, imported at once; returns its SourceDocument."""
    settings.MEDIA_ROOT = tmp_path

    def send(content: bytes, name: str) -> SourceDocument:
        file = SimpleUploadedFile(name, content, content_type="application/pdf")
        with django_capture_on_commit_callbacks(execute=True):
            clerk_client.post(reverse("intake:upload"), {"files": [file]})
        return SourceDocument.objects.get(original_name=name)

    return send


@pytest.fixture
def bundle_result() -> ParseResult:
    """What the parser makes of an Eerste Kamer bundle: cover, questions, notice, answer."""
    committee = "vaste commissie voor Binnenlandse Zaken"
    minister = "minister van Binnenlandse Zaken en Koninkrijksrelaties"
    return ParseResult(
        source="bundel.pdf",
        pages=5,
        letters=[
            ParsedLetter(kind="cover", committee=committee, chamber="EK", first_page=1, last_page=1),
            ParsedLetter(
                kind="questions",
                date=date(2025, 6, 24),
                sender=f"voorzitter van de {committee}",
                recipient="Aan de Minister van Binnenlandse Zaken en Koninkrijksrelaties",
                term_days=28,
                parties=["GroenLinks-PvdA"],
                dossier=["36521, B"],
                committee=committee,
                chamber="EK",
                first_page=1,
                last_page=2,
            ),
            ParsedLetter(
                kind="postponement",
                date=date(2025, 7, 9),
                sender=minister,
                recipient="Voorzitter van de Eerste Kamer",
                reference="177400",
                cites_date=date(2025, 6, 24),
                chamber="EK",
                first_page=3,
                last_page=3,
            ),
            ParsedLetter(
                kind="answer",
                date=date(2025, 11, 19),
                sender=minister,
                reference="177400",
                cites_date=date(2025, 6, 24),
                chamber="EK",
                first_page=3,
                last_page=5,
            ),
        ],
        questions=[
            ParsedQuestion(letter=1, party="GroenLinks-PvdA", page=1, text="Ziet u parallellen?"),
            ParsedQuestion(letter=1, party="GroenLinks-PvdA", page=2, text="Hoe geeft u concreet gevolg?"),
            ParsedQuestion(letter=1, party="GroenLinks-PvdA", page=2, text="Wat doet u concreet?"),
        ],
        answers=[
            ParsedAnswer(
                letter=3, label="1", covers=[0], page=4, text="Een aantal signalen kent gelijkenissen."
            ),
            ParsedAnswer(letter=3, label="2 en 3", covers=[1, 2], page=4, text="Het kabinet werkt aan..."),
            ParsedAnswer(
                letter=3, label=None, covers=[], refers_to=[0], page=5, text="Zie antwoord op vraag 1."
            ),
        ],
        warnings=[
            Notice("answer_unmatched", {"letter": 4, "letter_kind": "answer", "letters": 4, "text": "Zie"})
        ],
    )


@pytest.fixture
def parsed(monkeypatch):
    """Make `import_source` see a given parse result instead of running the parser."""

    def use(result: ParseResult) -> None:
        monkeypatch.setattr(imports, "parse_source_file", lambda path, *, name, on_progress: result)

    return use
