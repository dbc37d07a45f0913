import pytest
from django.urls import reverse

from dossiers.tests.factories import make_archive
from letters.models import Letter
from questions.models import Question
from questions.search import search


@pytest.mark.django_db
def test_search_finds_questions_answers_and_letters_with_highlighted_snippets(staffer_client):
    make_archive(4)
    response = staffer_client.get(reverse("search"), {"q": "asielzoekers"})
    results = response.context["results"]
    assert results.total >= 4
    kinds = {hit.kind for hit in results.hits}
    assert "questions" in kinds
    html = response.content.decode()
    assert "<mark>" in html.lower() or "<mark>" in html


@pytest.mark.django_db
def test_search_snippets_escape_document_text(staffer_client):
    archive = make_archive(1)
    Question.objects.filter(letter=archive.question_letters[0], order=1).update(
        text="<img src=x onerror=alert(1)> asielzoekers wachten"
    )
    html = staffer_client.get(reverse("search"), {"q": "asielzoekers", "scope": "questions"}).content.decode()
    assert "<img" not in html
    assert "&gt; <mark>asielzoekers</mark> wachten" in html


@pytest.mark.django_db
def test_search_filters_combine_with_the_text_query(staffer_client):
    archive = make_archive(8)
    response = staffer_client.get(
        reverse("search"),
        {"q": "asielzoekers", "scope": "questions", "status": "postponed", "committee": archive.committee.pk},
    )
    hits = response.context["results"].hits
    assert hits
    assert all(hit.obj.letter.deadline.status == "postponed" for hit in hits)


@pytest.mark.parametrize("rounds", [2, 20])
@pytest.mark.django_db
def test_search_query_count_is_constant(staffer_client, django_assert_max_num_queries, rounds):
    make_archive(rounds)
    # session, user, the menu's two permission reads, the filtered letters' keys (PostgreSQL), per
    # kind of text its candidates and its page's hits, at most one planner estimate for all kinds,
    # three filter option lists
    with django_assert_max_num_queries(15):
        response = staffer_client.get(
            reverse("search"), {"q": "asielzoekers", "party": "", "date_after": "2000-01-01"}
        )
    assert response.context["results"].hits


@pytest.mark.django_db
def test_search_without_a_query_shows_no_results(staffer_client):
    response = staffer_client.get(reverse("search"))
    assert response.status_code == 200
    assert response.context["results"] is None


@pytest.mark.django_db
def test_search_pages_are_shareable_urls(staffer_client):
    make_archive(30)
    first = staffer_client.get(reverse("search"), {"q": "asielzoekers", "scope": "questions"}).context[
        "results"
    ]
    assert first.has_next
    second = staffer_client.get(reverse("search"), {"q": "asielzoekers", "scope": "questions", "page": 2})
    assert second.context["results"].page == 2
    first_ids = {hit.obj.pk for hit in first.hits}
    assert first_ids.isdisjoint({hit.obj.pk for hit in second.context["results"].hits})


@pytest.mark.postgres
@pytest.mark.django_db
def test_dutch_stemming_matches_other_word_forms():
    make_archive(2)
    Question.objects.filter(order=2).update(text="Hoe lang wacht een asielzoeker op een beslissing?")
    results = search("asielzoekers", scope="questions")
    texts = [hit.obj.text for hit in results.hits]
    assert any("asielzoeker op" in text for text in texts)
    assert any("asielzoekers wachten" in text for text in texts)


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_vectors_are_stored_by_the_database():
    archive = make_archive(1)
    letter = Letter.objects.get(pk=archive.question_letters[0].pk)
    question = Question.objects.filter(letter=letter).first()
    assert letter.search_vector
    assert "asielzoeker" in question.search_vector


@pytest.mark.postgres
@pytest.mark.django_db
def test_broad_terms_rank_a_bounded_candidate_set_and_estimate_the_count(monkeypatch):
    from questions import search as search_module

    make_archive(12)
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    results = search("asielzoekers", scope="questions", per_page=3)
    assert results.estimated
    assert results.total >= 5
    assert len(results.hits) == 3
    ranks = [hit.rank for hit in results.hits]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_narrow_filter_searches_by_the_letters_keys_and_finds_what_the_subquery_finds(monkeypatch):
    from dossiers.models import Committee
    from questions import search as module

    archive = make_archive(6)
    Letter.objects.filter(pk=archive.question_letters[0].pk).update(
        committee=Committee.objects.create(name="Andere commissie", chamber="EK")
    )
    letters = Letter.objects.filter(committee=archive.committee)
    assert sorted(module.narrowed(letters)) == sorted(letters.values_list("pk", flat=True))
    by_keys = search("asielzoekers", letters=letters, per_page=100)
    monkeypatch.setattr(module, "FEW_LETTERS", 0)  # the broad filter's shape: a subquery
    assert module.narrowed(letters) is None
    by_subquery = search("asielzoekers", letters=letters, per_page=100)
    assert by_keys.hits
    assert {(hit.kind, hit.obj.pk) for hit in by_keys.hits} == {
        (hit.kind, hit.obj.pk) for hit in by_subquery.hits
    }
    assert archive.question_letters[0].pk not in {
        hit.obj.pk if hit.kind == "letters" else hit.obj.letter_id for hit in by_keys.hits
    }
    nobody = Letter.objects.filter(committee=None, kind="nothing")
    assert search("asielzoekers", letters=nobody).hits == []
