"""Full-text search for letters: a stored `search_vector` kept by a PostgreSQL trigger, a GIN index,
and the keyset index behind the letter list. On SQLite only the column exists."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

# Subject weighs most, then who sent it and its references, then the body. The body is cut at
# 500,000 characters: a tsvector may not exceed 1 MB, and no letter's meaning starts that late.
CREATE = """
CREATE OR REPLACE FUNCTION letters_letter_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('pg_catalog.dutch', coalesce(NEW.subject, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.dutch', concat_ws(' ', NEW.sender, NEW.recipient, NEW.reference,
                                                         NEW.dossier_document)), 'B') ||
    setweight(to_tsvector('pg_catalog.dutch', left(coalesce(NEW.text, ''), 500000)), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER letters_letter_search_vector
  BEFORE INSERT OR UPDATE OF subject, sender, recipient, reference, dossier_document, text
  ON letters_letter FOR EACH ROW EXECUTE FUNCTION letters_letter_search_vector();
CREATE INDEX letter_search_vector ON letters_letter USING gin (search_vector);
CREATE INDEX letter_date_keyset ON letters_letter (date DESC NULLS LAST, id DESC);
UPDATE letters_letter SET text = text;
"""
DROP = """
DROP INDEX IF EXISTS letter_search_vector;
DROP INDEX IF EXISTS letter_date_keyset;
DROP TRIGGER IF EXISTS letters_letter_search_vector ON letters_letter;
DROP FUNCTION IF EXISTS letters_letter_search_vector();
"""


def run_on_postgres(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # GIN and NULLS LAST in an index are PostgreSQL-only SQL, so the state records both indexes
        # and the database gets them (with the trigger) only on PostgreSQL. SQLite sorts NULLs last
        # in DESC order anyway and serves the list from the plain date index.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="letter",
                    index=models.Index(
                        models.OrderBy(models.F("date"), descending=True, nulls_last=True),
                        models.OrderBy(models.F("id"), descending=True),
                        name="letter_date_keyset",
                    ),
                ),
                migrations.AddIndex(
                    model_name="letter",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="letter_search_vector"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(run_on_postgres(CREATE), run_on_postgres(DROP), elidable=False),
            ],
        ),
    ]
