from django.db import migrations


def members_from_questions(apps, schema_editor):
    """Imports did not fill a letter's asking members: take them from its questions."""
    Letter = apps.get_model("letters", "Letter")
    Question = apps.get_model("questions", "Question")
    asked: dict[int, set[int]] = {}
    for letter_id, member_id in Question.objects.exclude(member=None).values_list("letter_id", "member_id"):
        asked.setdefault(letter_id, set()).add(member_id)
    for letter in Letter.objects.filter(pk__in=asked):
        letter.members.add(*asked[letter.pk])


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0006_unconfirmed_index"),
        ("questions", "0002_search_vectors"),
    ]

    operations = [migrations.RunPython(members_from_questions, migrations.RunPython.noop)]
