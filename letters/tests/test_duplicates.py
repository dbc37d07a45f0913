"""`probably_same`: what a second file of one letter still shows, and what tells two letters apart."""

from __future__ import annotations

from datetime import date

from letters.duplicates import Fingerprint, probably_same

ON = date(2026, 3, 3)
MINISTER = "De minister van Financiën"
NOTICE = """Hierbij deel ik u mede dat de aan mij gestelde vragen van de leden van de fractie van de SGP
over de regeling {number} (ingezonden op 3 februari 2026), met kenmerk {kenmerk}, niet binnen de
termijn van vier weken kunnen worden beantwoord. Voor de beantwoording is afstemming met de
uitvoering en met de betrokken gemeenten nodig. Ik streef ernaar de antwoorden uiterlijk
1 april 2026 aan uw Kamer te sturen."""


def notice(number: int, kenmerk: str = "", text: str = "") -> Fingerprint:
    body = text or NOTICE.format(number=number, kenmerk=kenmerk or "")
    return Fingerprint.make("postponement", ON, kenmerk, [MINISTER, "Voorzitter van de Eerste Kamer"], body)


def test_a_rescan_with_a_few_misread_words_is_the_same_letter():
    rescanned = NOTICE.format(number=12, kenmerk="190012").replace("gemeenten", "gerneenten")
    assert probably_same(notice(12, "190012"), notice(12, "190012", rescanned.replace("termijn", "terrnijn")))


def test_two_notices_in_one_mould_are_told_apart_by_their_kenmerk():
    assert not probably_same(notice(12, "190012"), notice(13, "190013"))


def test_two_notices_in_one_mould_without_a_kenmerk_are_told_apart_by_their_text():
    assert not probably_same(notice(12), notice(13))


def test_the_same_text_on_another_date_or_from_someone_else_is_another_letter():
    same = NOTICE.format(number=12, kenmerk="")
    assert not probably_same(
        notice(12), Fingerprint.make("postponement", date(2026, 3, 4), "", [MINISTER], same)
    )
    assert not probably_same(
        notice(12), Fingerprint.make("postponement", ON, "", ["De minister van Defensie"], same)
    )


def test_a_short_note_whose_every_word_a_longer_letter_holds_is_not_that_letter():
    first_sentence = NOTICE.format(number=12, kenmerk="").split(". ")[0]
    assert not probably_same(notice(12), notice(12, text=first_sentence))


def test_letters_without_a_date_or_without_text_are_never_taken_for_each_other():
    undated = Fingerprint.make("postponement", None, "", [MINISTER], NOTICE)
    assert not probably_same(undated, undated)
    empty = Fingerprint.make("postponement", ON, "", [MINISTER], "")
    assert not probably_same(empty, empty)
