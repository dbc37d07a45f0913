"""Pages about the same letter link to each other: letter and deadline, question thread and letters."""

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.tests import factories
from dossiers.tests.factories import make_archive
from letters.choices import LetterKind
from letters.models import Letter

staffer, staffer_client = factories.staffer, factories.staffer_client
pytestmark = pytest.mark.django_db


def test_letter_page_links_to_its_deadline_and_back(staffer_client: Client) -> None:
    letter = make_archive(1).question_letters[0]
    deadline_url = reverse("deadlines:detail", args=[letter.deadline.pk])
    assert f'href="{deadline_url}"' in staffer_client.get(letter.get_absolute_url()).content.decode()
    assert f'href="{letter.get_absolute_url()}"' in staffer_client.get(deadline_url).content.decode()


def test_deadline_page_links_back_to_an_undated_letter_without_committee(staffer_client: Client) -> None:
    letter = make_archive(1).question_letters[0]
    Letter.objects.filter(pk=letter.pk).update(date=None, committee=None, subject="")
    html = staffer_client.get(reverse("deadlines:detail", args=[letter.deadline.pk])).content.decode()
    assert f'href="{letter.get_absolute_url()}">Questions undated</a>' in html


def test_thread_links_a_question_to_its_letter_and_its_answer_to_the_answer_letter(
    staffer_client: Client,
) -> None:
    archive = make_archive(4)  # the fourth round is answered
    question = archive.question_letters[3].questions.get(order=1)
    answer = question.answers.get()
    assert answer.letter.kind == LetterKind.ANSWER
    html = staffer_client.get(question.get_absolute_url()).content.decode()
    assert f'href="{question.letter.get_absolute_url()}?from={question.order}#q{question.pk}"' in html
    assert f'href="{answer.letter.get_absolute_url()}?answers_from={answer.order}#a{answer.pk}"' in html
