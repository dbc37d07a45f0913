"""Property-based robustness: `parse_text` never raises and keeps its invariants.

Inputs are arbitrary text, text built from the families' own markers, and our variant fixtures
(plus the corpus seeds, when the corpus is present) mangled by re-wrapping lines, deleting and
duplicating lines and inserting noise. Examples are derandomised, so CI sees the same ones.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letters.parser import ParseResult, parse_text
from letters.parser.result import LETTER_KINDS

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ROOT / "fixtures" / "parser" / "variants"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
MAX_CHARS = 12_000  # a corpus text is cut to this many characters to keep examples fast


def _texts() -> list[str]:
    paths = sorted(VARIANTS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    return [path.read_text(encoding="utf-8", errors="replace")[:MAX_CHARS] for path in paths]


TEXTS = _texts()

PROPERTIES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRAGMENTS = [
    "Vraag 1",
    "Vraag 2, 3 en 4:",
    "Vragen 1 t/m 3",
    "Antwoord",
    "Antwoord 2.",
    "Antwoord op vraag 3 en 4:",
    "Vraag (7):",
    "Mededeling",
    "BRIEF VAN DE MINISTER VAN FINANCIËN",
    "BRIEF VAN DE VOORZITTER VAN DE VASTE COMMISSIE VOOR FINANCIËN",
    "Vragen van het lid Jansen (SP) aan de Minister van Financiën (ingezonden 2 mei 2025).",
    "Antwoord van Minister Bakker (Financiën) (ontvangen 20 mei 2025).",
    "Vragen van het lid Piri, K. (GL/PvdA)",
    "Vragen en opmerkingen van de leden van de fractie van de SP",
    "Den Haag, 24 juni 2025",
    "Datum 3 februari 2023",
    "Zie het antwoord op vraag 2.",
    "Zie antwoord op vraag (1).",
    "Ja, zie het antwoord hierboven.",
    "1. Een opsomming.",
    "Wat is de stand van zaken?",
    "Graag ontvangen de leden een toelichting.",
    "binnen vier weken na dagtekening",
    "uiterlijk 1 oktober",
    "Kamerstukken I 2024/25, 36 700 VIII, A.",
    "Hoogachtend,",
    "De minister van Financiën,",
    "",
    "\f",
]


def check_invariants(result: ParseResult) -> None:
    letters, questions, answers = result.letters, result.questions, result.answers
    assert result.pages >= 1
    for letter in letters:
        assert letter.kind in LETTER_KINDS
        assert 1 <= letter.first_page <= letter.last_page <= result.pages
        assert letter.term_days is None or letter.term_days > 0
    for question in questions:
        assert 0 <= question.letter < len(letters)
        assert 1 <= question.page <= result.pages
    for answer in answers:
        assert 0 <= answer.letter < len(letters)
        assert 1 <= answer.page <= result.pages
        assert letters[answer.letter].kind == "answer"
        assert all(0 <= index < len(questions) for index in answer.covers)
        assert all(0 <= index < len(questions) for index in answer.refers_to)
        assert answer.covers == sorted(set(answer.covers))
        assert not set(answer.covers) & set(answer.refers_to)
        # covered questions are asked in a questions letter or carried by the answer letter itself
        for index in answer.covers:
            owner = questions[index].letter
            assert owner == answer.letter or letters[owner].kind == "questions"
    assert result.to_dict()["source"] == result.source


def _parse(text: str) -> ParseResult:
    result = parse_text(text, source="property")
    check_invariants(result)
    return result


@PROPERTIES
@given(st.text(max_size=3000))
def test_arbitrary_text(text):
    _parse(text)


@PROPERTIES
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=80)), max_size=80))
def test_lines_built_from_the_families_markers(lines):
    _parse("\n".join(lines))


def _rewrap(lines: list[str], width: int) -> list[str]:
    words = " ".join(lines).split(" ")
    out, current = [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*out, current] if current else out


@st.composite
def mangled(draw) -> str:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "noise", "fragment", "rewrap", "join"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "noise":
            lines.insert(at, draw(st.text(max_size=60)))
        elif action == "fragment":
            lines.insert(at, draw(st.sampled_from(FRAGMENTS)))
        elif action == "rewrap":
            end = min(len(lines), at + draw(st.integers(1, 40)))
            lines[at:end] = _rewrap(lines[at:end], draw(st.integers(20, 140)))
        elif at + 1 < len(lines):
            lines[at : at + 2] = [lines[at] + " " + lines[at + 1]]
    return "\n".join(lines)


@PROPERTIES
@given(mangled())
def test_mangled_documents_keep_their_invariants(text):
    _parse(text)


def test_every_unmangled_text_keeps_its_invariants():
    for text in TEXTS:
        _parse(text)
