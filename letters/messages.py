"""What a clerk reads about an import: every warning and error, by code, in the reader's language.

Warnings and errors are stored as a code with parameters (`letters.parser.Notice`, or its
`{"code": ..., "params": {...}}` form in the database) and worded here, when shown, so a page in
Dutch says it in Dutch whatever language the import ran in. Parameters follow the parser's
conventions: dates are ISO strings, shown in the reader's date format; a letter is named by
`<name>_kind`, `<name>_date` and its 1-based place `<name>` (with `letters`, the document's
count), shown as "antwoordbrief van 3 maart 2025" or, undated, "vragenbrief (brief 2 van 3)"
(just "vragenbrief" when it is the document's only letter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from letters.choices import LetterKind
from letters.parser import Notice

# Words kept as they were written, before messages had codes (`Letter.link_note` rows migrated).
TEXT = "text"

MESSAGES: dict[str, Promise] = {
    # Warnings from the parser
    "document_empty": _("The document contains no text."),
    "letter_undated": _("%(letter)s has no date in its text; enter the date by hand."),
    "answers_missing": _("%(letter)s is an answer letter, but no answers were recognised in it."),
    "listed_letter_missing": _("The cover note lists a letter of %(date)s that is not in this document."),
    "questions_header_missing": _(
        "No heading 'Vragen van … (ingezonden …)' was found; the members and dates are missing."
    ),
    "reply_header_missing": _(
        "No heading 'Antwoord van … (ontvangen …)' was found; the date of the reply is missing."
    ),
    "repeated_question_unmatched": _(
        "%(letter)s repeats a question that matches no question of %(original)s; "
        "it is kept as a question of its own: “%(text)s”"
    ),
    "answer_names_missing_questions": _(
        "%(letter)s: answer %(label)s names questions that are not in the document: %(questions)s."
    ),
    "answer_unmatched": _("%(letter)s: an answer matches no question: “%(text)s”"),
    "ocr_low_confidence": _(
        "Page %(page)s is a scan that text recognition read with low confidence (%(confidence)s%%); "
        "check its letters, questions and answers against the PDF."
    ),
    "question_unanswered": _("Question %(question)s of %(letter)s is not answered in %(answer)s: “%(text)s”"),
    # Warnings from the parser (within a document) and from linking (to the letter linked)
    "cited_date_differs": _(
        "%(letter)s cites a letter of %(cited_date)s, but the letter it replies to is dated %(actual_date)s."
    ),
    # Warnings from linking
    "cited_reference_differs": _(
        "%(letter)s cites reference %(cited)s, but the letter it replies to has reference %(actual)s."
    ),
    "link_ambiguous": _(
        "%(letter)s: several letters of %(cited_date)s could be the one it replies to; link it by hand."
    ),
    "link_not_found": _("%(letter)s: the letter it replies to was not found; link it by hand."),
    # Errors: why a file could not be imported (`SourceDocument.error_code`)
    "not_pdf": _("This file is not a PDF. Upload the letter as a PDF file."),
    "encrypted": _("The PDF is password-protected. Remove the password and upload it again."),
    "damaged": _("The PDF is damaged and cannot be read. Ask the sender for a new copy."),
    "no_text": _(
        "The PDF contains no text (probably a scan). Run text recognition (OCR) on it first, "
        "or enter the letter by hand."
    ),
    "too_many_pages": _("The PDF has too many pages to import in one go. Split it and upload the parts."),
    "too_large": _("The PDF is too large to import."),
    "timeout": _("Reading the PDF took too long and was stopped. Split it, or enter the letter by hand."),
    "interrupted": _("Reading the PDF was interrupted before it finished. Upload the file again."),
    "out_of_memory": _(
        "Reading the PDF needed too much memory and was stopped. "
        "It may be damaged or built to overload readers."
    ),
    "ocr_unavailable": _(
        "The PDF is a scan without text, and text recognition (OCR) is not installed on the server: "
        "the Debian packages tesseract-ocr and tesseract-ocr-nld are needed. "
        "Ask the administrator to install them, then import the file again, or enter the letter by hand."
    ),
    "internal": _("The import failed: %(error)s"),
}


class _Values(dict):
    # A notice stored before its message gained a parameter still renders, with a visible gap.
    def __missing__(self, key: str) -> str:
        return "?"


def render(notice: Notice | Mapping | str) -> str:
    """The words for one notice in the active language; a plain string is shown as it is."""
    if isinstance(notice, str):
        return notice
    if isinstance(notice, Notice):
        code, params = notice.code, notice.params
    else:
        code, params = notice.get("code", ""), notice.get("params") or {}
    if code == TEXT:
        return str(params.get("text", ""))
    template = MESSAGES.get(code)
    if template is None:
        # A code retired since the notice was stored: the clerk still learns there was something.
        return _("A note of a kind this version no longer knows (%(code)s); check the document by hand.") % {
            "code": code
        }
    return capfirst(str(template) % _values(params))


def render_all(stored: Iterable[Notice | Mapping | str] | str) -> list[str]:
    """Every notice of a stored list; a whole field holding one plain string is one message."""
    if isinstance(stored, str):
        return [stored] if stored else []
    return [render(notice) for notice in stored]


def render_error(code: str, detail: str) -> str:
    """Why a file failed, by its code; `detail` (the technical reason) where the code is unknown."""
    if code in MESSAGES:
        return render({"code": code, "params": {"error": detail}})
    return detail


def _values(params: Mapping[str, str | int]) -> _Values:
    values = _Values()
    for name, value in params.items():
        if name.endswith("_kind"):
            values[name.removesuffix("_kind")] = _letter(params, name.removesuffix("_kind"))
        elif name not in values:
            values[name] = _date(value) if name == "date" or name.endswith("_date") else value
    return values


def _letter(params: Mapping[str, str | int], name: str) -> str:
    kind = params[f"{name}_kind"]
    label = str(LetterKind(kind).label).lower() if kind in LetterKind.values else str(kind)
    if params.get(f"{name}_date"):
        return _("%(kind)s of %(date)s") % {"kind": label, "date": _date(params[f"{name}_date"])}
    if params.get("letters") == 1:
        return label
    if params.get("letters"):
        return _("%(kind)s (letter %(number)s of %(count)s)") % {
            "kind": label,
            "number": params.get(name, "?"),
            "count": params["letters"],
        }
    return _("%(kind)s (letter %(number)s)") % {"kind": label, "number": params.get(name, "?")}


def _date(value: str | int) -> str:
    try:
        return date_format(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)
