"""Full-text search for questions and answers (stored vectors kept by PostgreSQL triggers, GIN
indexes), and clerks' removal of detected thread links. On SQLite only the columns exist."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION questions_text_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector := to_tsvector('pg_catalog.dutch', left(coalesce(NEW.text, ''), 500000));
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER questions_question_search_vector BEFORE INSERT OR UPDATE OF text
  ON questions_question FOR EACH ROW EXECUTE FUNCTION questions_text_search_vector();
CREATE TRIGGER questions_answer_search_vector BEFORE INSERT OR UPDATE OF text
  ON questions_answer FOR EACH ROW EXECUTE FUNCTION questions_text_search_vector();
CREATE INDEX question_search_vector ON questions_question USING gin (search_vector);
CREATE INDEX answer_search_vector ON questions_answer USING gin (search_vector);
UPDATE questions_question SET text = text;
UPDATE questions_answer SET text = text;
"""
DROP = """
DROP INDEX IF EXISTS question_search_vector;
DROP INDEX IF EXISTS answer_search_vector;
DROP TRIGGER IF EXISTS questions_question_search_vector ON questions_question;
DROP TRIGGER IF EXISTS questions_answer_search_vector ON questions_answer;
DROP FUNCTION IF EXISTS questions_text_search_vector();
"""


def run_on_postgres(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="question",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="questionlink",
            name="rejected",
            field=models.BooleanField(default=False, verbose_name="removed by a clerk"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="answer",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="answer_search_vector"
                    ),
                ),
                migrations.AddIndex(
                    model_name="question",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="question_search_vector"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(run_on_postgres(CREATE), run_on_postgres(DROP), elidable=False),
            ],
        ),
    ]
