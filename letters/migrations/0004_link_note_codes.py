"""Letter.link_note becomes a list of notices (code and parameters), worded when shown.

A note written before keeps its words as one notice of code "text". The column changes in place:
adding a column with a default would make SQLite rebuild the table, which it cannot do here
(the keyset index of 0002 has NULLS LAST), and SQLite stores JSON as text anyway.
"""

from django.db import migrations, models

TO_NOTICES = {
    "postgresql": """
        ALTER TABLE letters_letter ALTER COLUMN link_note TYPE jsonb USING CASE
            WHEN link_note = '' THEN '[]'::jsonb
            ELSE jsonb_build_array(
                jsonb_build_object('code', 'text', 'params', jsonb_build_object('text', link_note))
            )
        END
    """,
    "sqlite": """
        UPDATE letters_letter SET link_note = CASE
            WHEN link_note = '' THEN '[]'
            ELSE json_array(json_object('code', 'text', 'params', json_object('text', link_note)))
        END
    """,
}
# Back to words: a note's text, or its code where it has none (later notes are dropped).
TO_WORDS = {
    "postgresql": """
        ALTER TABLE letters_letter ALTER COLUMN link_note TYPE text
            USING coalesce(link_note #>> '{0,params,text}', link_note #>> '{0,code}', '')
    """,
    "sqlite": """
        UPDATE letters_letter SET link_note =
            coalesce(json_extract(link_note, '$[0].params.text'), json_extract(link_note, '$[0].code'), '')
    """,
}


def run(statements: dict[str, str]):
    def run_for_vendor(apps, schema_editor):
        schema_editor.execute(statements[schema_editor.connection.vendor])

    return run_for_vendor


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0003_promised_facts_and_import_lease"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="letter",
                    name="link_note",
                    field=models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Discrepancies found while linking, as codes with parameters.",
                        verbose_name="link notes",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(run(TO_NOTICES), run(TO_WORDS), elidable=False)],
        ),
    ]
