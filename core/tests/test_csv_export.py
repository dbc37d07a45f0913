import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import translation

from core.csv_export import cell, csv_lines, csv_response


def test_values_are_written_as_dutch_excel_reads_them():
    with translation.override("nl"):
        assert cell(None) == ""
        assert cell(True) == "ja"
        assert cell(date(2024, 2, 29)) == "2024-02-29"
        assert cell(datetime(2024, 2, 29, 9, 5, 30)) == "2024-02-29 09:05"
        assert cell(0.75) == "0,75"
        assert cell(Decimal("12.5")) == "12,5"
        assert cell(36521) == "36521"


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_quoted():
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("-3 dagen") == "'-3 dagen"
    assert cell("Vraag 3") == "Vraag 3"


def test_the_file_starts_with_a_byte_order_mark_and_splits_on_semicolons():
    text = "".join(csv_lines(["Onderwerp", "Datum"], [["Asiel; opvang", date(2025, 1, 2)]]))
    assert text.startswith("\ufeffOnderwerp;Datum\r\n")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")) == [
        ["Onderwerp", "Datum"],
        ["Asiel; opvang", "2025-01-02"],
    ]


def test_a_download_is_streamed_row_by_row_without_reading_all_rows_first():
    produced = []

    def rows():
        for n in range(3):
            produced.append(n)
            yield [n]

    response = csv_response(filename="brieven", header=["Nr"], rows=rows())
    assert response["Content-Disposition"] == 'attachment; filename="brieven.csv"'
    assert produced == []
    chunks = iter(response.streaming_content)
    next(chunks)
    assert produced == []
    next(chunks)
    assert produced == [0]
