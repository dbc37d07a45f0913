"""Cleaned page text -> lines -> paragraphs, plus the one measure of "is this the same question?".

Works on both extracted PDF pages (footnotes already moved out by `extract.py`) and plain
text exports, where footnotes sit inline at the page bottom and where blank lines may be
nothing more than doubled line wraps. On PDF pages, notes the page's foot did not hold (endnotes,
on pages of their own too, and a note running on over a page break) are told from the body by
their smaller type against the body's size (the size most characters so far are set in).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple, Protocol

MAX_LINE = 2000  # line-level patterns only look at this many characters


class Page(Protocol):
    number: int
    text: str
    footnotes: list[str]
    margin: str
    furniture: list[str]
    set_apart: list[str]  # lines set apart by italics or a block indent (PDF only)


@dataclass(frozen=True)
class Line:
    text: str
    page: int
    page_start: bool = False  # first line of a page
    blank_before: bool = False
    marked: bool = False  # text exports start each page with one leading space
    set_apart: bool = False  # set apart by its typography: italics or a block indent
    measured: bool = False  # `blank_before` was measured from a PDF's layout (`PageText.breaks`)


@dataclass
class Paragraph:
    lines: list[Line]
    text: str = ""
    offsets: list[int] = field(default_factory=list)  # where each line starts in `text`
    heading: bool = False  # a line standing alone (`is_heading` 2), or such a line wrapped

    @property
    def page(self) -> int:
        return self.lines[0].page if self.lines else 1

    @property
    def set_apart(self) -> bool:
        return bool(self.lines) and all(line.set_apart for line in self.lines)

    def page_breaks(self, shift: int = 0) -> list[tuple[int, int]]:
        """(offset, page) wherever the page changes, offsets moved by `shift`."""
        breaks: list[tuple[int, int]] = []
        for line, offset in zip(self.lines, self.offsets, strict=False):
            if not breaks or breaks[-1][1] != line.page:
                breaks.append((offset + shift, line.page))
        return breaks


@dataclass
class Document:
    lines: list[Line]  # body lines, no blanks, no inline footnotes or page furniture
    footnotes: list[str] = field(default_factory=list)
    footnote_at: list[int] = field(default_factory=list)  # per footnote: body lines read before it
    furniture: list[str] = field(default_factory=list)
    margin: str = ""  # the right-hand column of the first page (ministry letter metadata)
    pages: int = 0


_FOOTNOTE_START = re.compile(r"(?:\d{1,3} ?|\[\d{1,3}\] )(?=[A-Z“\"‘'(\[]|https?:|www\.)")
_URL_ONLY = re.compile(r"(?:https?://|www\.)\S{1,1000}")


class Furniture(NamedTuple):
    pattern: str  # the whole line, or the whole segment of a PDF line
    anywhere: bool  # its shape cannot be a body line; otherwise only in a PDF's header and footer bands


# Running headers and footers: what every page repeats around the letter. Plain text has no
# positions, so there only the items that count `anywhere`; a PDF knows its header and footer
# bands, and there every item counts, the looser ones too.
RUNNING_FURNITURE = (
    Furniture(r"(?:Tweede|Eerste) Kamer, vergaderjaar \d{4}[–-]\d{4}, Aanhangsel.{0,12}", anywhere=True),
    # "Eerste Kamer, vergaderjaar 2024-2025, 36 521, B"; in a body, a citation wrapped to a line start
    Furniture(r"(?:Tweede|Eerste)\sKamer,?\svergaderjaar\s\d{4}\s?[–-]\s?\d{4}\b.*", anywhere=False),
    Furniture(r"ah-[a-z]{2}-\d{8}-\d{1,6}", anywhere=True),
    # "kst-36521-B"; in a body, "e-mail-adressen" wrapped to a line of its own
    Furniture(r"[a-z]{1,6}(?:-[A-Za-z0-9]+){2,}", anywhere=False),
    Furniture(r"ISSN\s?\d{4}\s?[–-]?\s?\d{3}[\dX].{0,20}", anywhere=True),
    Furniture(r"[’']s-Gravenhage\s\d{4}(?:\s.{0,120})?", anywhere=True),
    Furniture(r"Pagina \d{1,4} van \d{1,4}", anywhere=True),
    # "Blad 2", "Page 3 of 5"
    Furniture(r"(?:Pagina|Page|Blz\.|Blad)\s?\d{1,4}(?:\s(?:van|of)\s\d{1,4})?", anywhere=False),
    Furniture(r"-? ?\d{1,3} ?-?", anywhere=True),  # page number
    # a four-digit number, or one beside an en dash: in a body, a year or an amount
    Furniture(r"[–-]?\s?\d{1,4}\s?[–-]?", anywhere=False),
)
_FURNITURE_ANYWHERE = re.compile(
    "|".join(f"(?:{item.pattern})" for item in RUNNING_FURNITURE if item.anywhere)
)
_FURNITURE_IN_BANDS = re.compile("|".join(f"(?:{item.pattern})" for item in RUNNING_FURNITURE))


def is_furniture(text: str, *, in_band: bool) -> bool:
    """`text` (a line, or a PDF line's segment) is a running header or footer item.

    `in_band`: the text sits in a PDF page's header or footer band, so the looser items count.
    """
    return bool((_FURNITURE_IN_BANDS if in_band else _FURNITURE_ANYWHERE).fullmatch(text))


_TERMINAL = ".?!:;”\"’')»"


def _is_heading_default(_: str) -> int:
    return 0


def _footnote_start(text: str) -> bool:
    if len(text) > MAX_LINE or not _FOOTNOTE_START.match(text):
        return False
    # "2015 ─" or "6.353 mensen" are body text; a footnote number is 1-3 digits then a word
    return not re.match(r"\d{1,3}[.,]\d", text)


def build_document(pages: Iterable[Page], *, keep: Callable[[str], bool] | None = None) -> Document:
    """`keep`: a family's own body lines that look like page furniture (a bill round's item numbers
    on lines of their own, "24"); kept as text unless it is the number of the page it opens.

    Pages are read as they arrive (later ones may still be extracted): the body's size is the one
    most characters so far are set in, so a page holding only notes, after the pages of body text,
    does not take their size for the body's."""
    document = Document([])
    weights: Counter[float] = Counter()
    in_note = False  # the page before ended in a note in small print
    for page in pages:
        document.pages += 1
        weights.update(_size_weights(page))
        body = weights.most_common(1)[0][0] if weights else None
        in_note = _read_page(page, document, keep, body, in_note)
        notes = [note.strip() for note in page.footnotes if note.strip()]
        document.footnotes.extend(notes)
        document.footnote_at.extend([len(document.lines)] * len(notes))
        document.furniture.extend(item.strip() for item in page.furniture if item.strip())
        if page.margin.strip() and not document.margin:
            document.margin = page.margin
    return document


def _type_sizes(page: Page, texts: list[str]) -> tuple[list[float], list[str]] | None:
    """Per line of the page (`texts`), its type size and raised leading figure (`PageText.sizes`,
    `PageText.leads`); None where they tell nothing: plain text knows no sizes, and OCR estimates
    them from x-heights, too rough to tell small print."""
    sizes = getattr(page, "sizes", None)
    leads = getattr(page, "leads", None)
    if not sizes or not leads or len(sizes) != len(texts) or getattr(page, "ocr", False):
        return None
    return sizes, leads


def _size_weights(page: Page) -> Counter[float]:
    """The page's characters per type size (`_type_sizes`)."""
    weights: Counter[float] = Counter()
    texts = page.text.split("\n")
    measured = _type_sizes(page, texts)
    for line, size in zip(texts, measured[0] if measured else (), strict=False):
        weights[size] += len(line.strip())
    return weights


def _small_print(size: float | None, body: float | None) -> bool:
    """A line set clearly smaller than the document's body: where notes are, wherever on the page."""
    return size is not None and body is not None and size < 0.97 * body


def _numbered(text: str, lead: str, small: bool) -> str:
    """The line as a note would open with it: a raised figure opening a line in small print is a
    note's number, which the page's text leaves out."""
    return f"{lead} {text}" if small and lead else text


def _read_page(
    page: Page,
    document: Document,
    keep: Callable[[str], bool] | None = None,
    body: float | None = None,
    continued: bool = False,
) -> bool:
    """Reads the page's lines into `document`. `body`: the document's body size; `continued`: the
    page before ended in a note in small print. Returns whether this page does."""
    lines, footnotes = document.lines, document.footnotes
    set_apart = set(page.set_apart)
    texts = page.text.split("\n")
    measured = _type_sizes(page, texts)
    sizes: list[float | None] = list(measured[0]) if measured else [None] * len(texts)
    leads = measured[1] if measured else [""] * len(texts)
    # A note in small print runs on over the page break only onto a page of notes: small print there
    # that opens none is the body's (a page set small throughout).
    in_note = continued and any(
        _small_print(size, body) and _footnote_start(_numbered(raw.strip(), lead, small=True))
        for raw, size, lead in zip(texts, sizes, leads, strict=True)
    )
    small_note = in_note
    blank = False
    first = True
    breaks = getattr(page, "breaks", None)
    measured = breaks is not None
    ends = frozenset(breaks or ())
    for index, raw in enumerate(texts):
        text = raw.strip()
        small = _small_print(sizes[index], body)
        blank = blank or index in ends
        marker = raw.startswith(" ") and not raw.startswith("  ") and bool(text)
        if not text:
            blank = True
            continue
        page_start = first or marker
        first = False
        head = text[:MAX_LINE]
        # the Aanhangsel number follows the title ("... gegeven antwoorden" / "1314"): not a page number
        numbered_title = bool(lines) and lines[-1].text.endswith("gegeven antwoorden") and head.isdigit()
        # a page's own number may open it; another number there is the family's (item 6 on page 2)
        kept = keep is not None and keep(head) and not (page_start and head == str(page.number))
        if _URL_ONLY.fullmatch(head) or (
            is_furniture(head, in_band=False) and not numbered_title and not kept
        ):
            document.furniture.append(text)
            continue
        opening = _numbered(text, leads[index], small)
        if _footnote_start(opening) and (blank or page_start or in_note):
            footnotes.append(opening)
            document.footnote_at.append(len(lines))
            in_note, small_note = True, small
            blank = False
            continue
        # a note in small print goes on past blank lines and page breaks, up to the body's type again
        body_type = sizes[index] is not None and not small
        if in_note and ((not blank and not page_start and not body_type) or (small and small_note)):
            footnotes[-1] = join_lines([footnotes[-1], text])
            blank = False
            continue
        in_note = False
        lines.append(
            Line(text, page.number, page_start, blank, marker, set_apart=text in set_apart, measured=measured)
        )
        blank = False
    return in_note and small_note


# --- words broken over lines -----------------------------------------------------------

# "aanloop- en volloopverliezen", "Oost- en Zuid-Nederland": the hyphen stands for a shared
# word part, so the line break is a real space.
_ELLIPSIS_FOLLOWERS = frozenset({"en", "of", "tot", "t/m", "and", "or", "noch"})
# Dutch writes a hyphen where two vowels would otherwise read as one sound (zee-egel,
# politie-inzet, auto-ongeluk); hyphenation never splits such a pair, so it is a real hyphen.
_VOWEL_CLASHES = frozenset(
    {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ii", "oe", "oi", "oo", "ou", "ui", "uu"}
)
# "Kathmann-" + "van Veen", "Janssen-" + "van der Berg": a double surname whose second name
# starts with one of these keeps its hyphen ("der" only after "van": "zon-" + "der" is a word).
_SURNAME_PARTICLES = frozenset({"van", "de", "den", "ter", "ten"})
# A URL broken at one of these characters continues on the next line without a space.
_URL_CONTINUATION = ("%", "/", "?", "&", "=", "#", "-", "_")


def _is_url(word: str) -> bool:
    return "://" in word or "www." in word


def glue(previous: str, following: str) -> str | None:
    """`previous` as it reads joined to `following` without a space, or None for a real space.

    A word broken with a hyphen loses it ("kennisgeno-" + "men"), a real hyphen stays
    ("GroenLinks-" + "PvdA", "e-" + "mail", "zee-" + "egel"), a dash ("--") is no word, a URL
    cut at a line end is joined as it is; "Oost-" + "en Zuid-Nederland" keeps its space. This is
    the one place that decides, for page lines and for the lines of a paragraph alike.
    """
    if not following or not previous:
        return None
    head = following.partition(" ")[0]
    if not head:  # the following line starts with a space: nothing to join
        return None
    tail = previous[previous.rfind(" ") + 1 :]
    if _is_url(tail):
        if tail.endswith(_URL_CONTINUATION) or head.startswith(_URL_CONTINUATION):
            return previous
        return None
    stem = tail[:-1]
    if not tail.endswith("-") or not any(ch.isalnum() for ch in stem):  # "--" is a dash, no word
        return None
    if head.rstrip(",.;:").lower() in _ELLIPSIS_FOLLOWERS:
        return None
    if _double_surname(stem, following):
        return previous
    first, last = head[0], stem[-1]
    keep_hyphen = (
        not first.islower()  # GroenLinks-PvdA, Noord-Holland, COVID-19
        or not last.isalpha()  # 2023-2024, (maatwerk)-bedrijven
        or last.isupper()  # DRC-tracé, SER-verkenning
        or len(stem.rsplit("-", 1)[-1]) == 1  # e-mail
        or (last + first).lower() in _VOWEL_CLASHES
    )
    return previous if keep_hyphen else previous[:-1]


def _double_surname(stem: str, following: str) -> bool:
    """ "Kathmann" before "van Veen ...": a surname (capitalised, at least three letters), then
    particles and a capitalised name, which a word broken at the line end never is."""
    if len(stem) < 3 or not stem.isalpha() or not stem[0].isupper() or not stem[1:].islower():
        return False
    words = following.split(None, 4)
    count = 0
    while count < len(words) - 1 and (
        words[count] in _SURNAME_PARTICLES or (count and words[count] == "der")
    ):
        count += 1
    return count > 0 and words[count][:1].isupper()


def join_broken_words(lines: Iterable[str]) -> list[str]:
    """Moves the second half of a word broken at a line end up to the first half; lines stay lines."""
    return join_broken_words_mapped(lines)[0]


def join_broken_words_mapped(lines: Iterable[str]) -> tuple[list[str], list[int]]:
    """`join_broken_words`, plus per input line the index of the output line it went to (a line that
    was only the end of a broken word goes to the one before)."""
    joined: list[str] = []
    went: list[int] = []
    for line in lines:
        if joined:
            glued = glue(joined[-1], line)
            if glued is not None:
                head, _, line = line.partition(" ")
                joined[-1] = glued + head
                if not line:
                    went.append(len(joined) - 1)
                    continue
        went.append(len(joined))
        joined.append(line)
    return joined, went


def join_lines(texts: Iterable[str]) -> str:
    """Join wrapped lines into one text, a word broken over two lines made whole again (`glue`)."""
    return join_lines_with_offsets(texts)[0]


def join_lines_with_offsets(texts: Iterable[str]) -> tuple[str, list[int]]:
    """`join_lines`, plus the offset in the result at which each input line starts."""
    parts: list[str] = []
    offsets: list[int] = []
    length = 0
    tail = ""  # the last word so far: `glue` only looks at that, and the text may be long
    for raw in texts:
        text = " ".join(raw.split())
        cut = 0
        if not parts:
            separator = ""
        elif (glued := glue(tail, text)) is not None:
            cut = len(tail) - len(glued)  # the hyphen of a broken word, or nothing
            parts[-1] = parts[-1][: len(parts[-1]) - cut]
            length -= cut
            separator = ""
        else:
            separator = " " if text else ""
        offsets.append(length + len(separator))
        if text or not parts:
            parts.append(separator + text)
            length += len(separator) + len(text)
            space = text.rfind(" ")
            tail = text[space + 1 :] if separator or space >= 0 else tail[: len(tail) - cut] + text
    return "".join(parts), offsets


def _typical_length(lines: list[Line]) -> int:
    lengths = sorted(min(len(line.text), MAX_LINE) for line in lines)
    if not lengths:
        return 80
    return max(30, lengths[int(len(lengths) * 0.8)])


def _measure(lines: list[Line]) -> int:
    """The text's wrap width in characters: the longest lines but a few outliers (a long address)."""
    lengths = sorted(min(len(line.text), MAX_LINE) for line in lines)
    return lengths[int(len(lengths) * 0.95)] if lengths else 80


# No text is wrapped wider than this many characters: a text with lines longer than this holds a
# paragraph per line (copied from a web page, or saved by a word processor). A few long lines (a
# link, an address) do not make a wrapped text one.
MAX_WRAP = 160


def _unwrapped(lines: list[Line]) -> bool:
    longer = sum(1 for line in lines if len(line.text) > MAX_WRAP and not line.measured)
    return longer >= max(2, 0.03 * len(lines))


def doubled_blank_lines(lines: list[Line]) -> bool:
    """True when nearly every line is followed by a blank line, so blanks say nothing."""
    if len(lines) < 8:
        return False
    with_blank = sum(1 for line in lines[1:] if line.blank_before)
    return with_blank > 0.7 * (len(lines) - 1)


def _starts_new(text: str) -> bool:
    first = text[:1]
    return first.isupper() or first.isdigit() or first in "“\"‘'(•-–·"


# a sentence's end with a footnote marker glued to it, as plain text writes one: "urgent.”29"
_MARKED_END = re.compile(r"[^\W\d_][.!?][”’\")]?\d{1,3}$")


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    return text[-1:] in _TERMINAL or bool(_MARKED_END.search(text[-8:]))


# A line ending so cannot end a heading: it wrapped ("... van de fracties van GroenLinks-PvdA en").
_OPEN_END = re.compile(r"(?:\s(?:en|of|van|de|het|der|voor|in|op|met|over)|[,/&–-])\s*$")


def _wrapped_headings(lines: list[Line], headings: list[int], is_heading: Callable[[str], int]) -> list[bool]:
    """Per line: it goes on the standing heading above it, which a narrow measure wrapped there
    ("Vragen en opmerkingen van de leden van de fracties van" / "GroenLinks-PvdA en D66"): that line
    ends open, and it is a heading, or becomes one with this line. `headings` is updated."""
    wraps = [False] * len(lines)
    for index in range(len(lines) - 1):
        text, following = lines[index].text, lines[index + 1].text
        if headings[index + 1] or not _OPEN_END.search(text[-40:]):
            continue
        if headings[index] == 2 or (not headings[index] and is_heading(f"{text} {following}") == 2):
            headings[index] = headings[index + 1] = 2
            wraps[index + 1] = True
    return wraps


def paragraphs(lines: list[Line], is_heading: Callable[[str], int] = _is_heading_default) -> list[Paragraph]:
    """Group lines into paragraphs.

    `is_heading` says 2 for a line that stands alone (a bare "Antwoord"), 1 for a line that
    starts a paragraph ("Antwoord: Ja."); a standing heading wrapped over lines stays one
    (`_wrapped_headings`). Otherwise a new paragraph starts where a sentence ends and the
    next line starts a new one: separated by a blank line (when blank lines are meaningful),
    or after a short last line (wrapped text fills the column, a paragraph's end does not), or
    where typography starts or stops setting lines apart. On PDF pages the blank lines were
    measured from the layout (`Line.measured`), which knows the column's width, so there the line
    lengths in characters only judge a page's first line.
    A line continuing in lower case always stays in the paragraph; in a text not wrapped at all
    (a paragraph per line) every other line starts one.
    """
    if not lines:
        return []
    typical = _typical_length(lines)
    doubled = doubled_blank_lines(lines)
    measure = _measure(lines)
    unwrapped = _unwrapped(lines)
    groups: list[list[Line]] = [[lines[0]]]
    headings = [is_heading(line.text) for line in lines]
    wraps = _wrapped_headings(lines, headings, is_heading)
    for index in range(1, len(lines)):
        prev, line = lines[index - 1], lines[index]
        if wraps[index]:
            groups[-1].append(line)
            continue
        if headings[index] or headings[index - 1] == 2 or (unwrapped and _starts_new(line.text)):
            groups.append([line])
            continue
        if not (_ends_sentence(prev.text) and _starts_new(line.text)):
            groups[-1].append(line)
            continue
        short = len(prev.text) < 0.8 * typical and (line.page_start or not line.measured)
        meaningful = line.measured or (not doubled and not line.page_start)
        restyled = line.set_apart != prev.set_apart  # typography sets the paragraph apart
        # With every line doubled, a line the next one's first word would still have fitted on
        # ended where the text did, not where the column did; and a short line that ends no
        # sentence (a signature, a label) is no paragraph's wrapped first or last line.
        fits = len(prev.text) + 1 + len(line.text.split(" ", 1)[0]) < measure
        label = len(line.text) < 0.8 * typical and not _ends_sentence(line.text)
        undoubled = doubled and not line.measured and (fits or label)
        if short or undoubled or line.marked or restyled or (line.blank_before and meaningful):
            groups.append([line])
        else:
            groups[-1].append(line)
    result = []
    first = 0
    for group in groups:
        text, offsets = join_lines_with_offsets(line.text for line in group)
        result.append(Paragraph(group, text, offsets, heading=headings[first] == 2))
        first += len(group)
    return result


_STOPWORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "op",
        "te",
        "dat",
        "die",
        "dit",
        "is",
        "zijn",
        "u",
        "uw",
        "er",
        "ook",
        "aan",
        "met",
        "voor",
        "om",
        "of",
        "als",
        "bij",
        "door",
        "naar",
        "niet",
        "wat",
        "hoe",
        "welke",
        "wordt",
        "worden",
        "kan",
        "kunt",
        "zij",
        "ze",
        "deze",
        "leden",
        "fractie",
        "regering",
        "minister",
        "kabinet",
        "zo",
        "ja",
        "nee",
        "waarom",
        "wel",
        "nog",
        "al",
        "dan",
        "tot",
        "over",
        "hebben",
        "heeft",
    ]
)
_WORD = re.compile(r"[0-9a-zà-ÿ]{1,40}")


def fold(text: str) -> str:
    """Lower case, accents removed, hyphens inside words dropped: for comparing texts."""
    text = text.lower()
    if not text.isascii():  # ASCII has nothing to decompose, and most of a letter is ASCII
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"(?<=[a-z])-\s?(?=[a-z])", "", text)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def content_words(text: str) -> frozenset[str]:
    """Content words plus pairs of neighbouring content words, so word order counts a little:
    two questions built from the same words in another order still tell apart."""
    kept = [word for word in words(text) if word not in _STOPWORDS and len(word) > 1]
    return frozenset(kept) | frozenset(f"{a} {b}" for a, b in pairwise(kept))


# Fewer shared words and word pairs than this is chance, however short the texts.
MIN_COMMON = 3


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Whether two texts ask the same question, from their `content_words`: 0.0 to about 1.0.

    The share of the smaller text's words and word pairs found in the other, because a question
    is repeated inside a longer paragraph, with an introduction, or cut from one; plus a
    hundredth of their Jaccard index, so that of two originals covering a question equally the
    one closest in length scores higher. The only measure: the parser pairs answers with it
    and question threads and imports link with it, each caller with its own threshold.
    """
    if not a or not b:
        return 0.0
    return shared_similarity(len(a & b), len(a), len(b))


def shared_similarity(common: int, size_a: int, size_b: int) -> float:
    """`similarity` of two word sets of these sizes sharing `common` words, for a caller that
    counted the shared words itself (from an index of many texts) instead of intersecting sets."""
    smaller = min(size_a, size_b)
    if not smaller or common < min(MIN_COMMON, smaller):
        return 0.0
    return common / smaller + 0.01 * common / (size_a + size_b - common)
