import datetime

from django.db import migrations, models


def promises_from_parser_output(apps, schema_editor):
    """Until now the promise lived only in the source's parser output: copy it onto each notice."""
    Letter = apps.get_model("letters", "Letter")
    notices = Letter.objects.filter(kind__in=["postponement", "mededeling"], source__isnull=False)
    for notice in notices.select_related("source").iterator():
        parsed = (notice.source.parse_result or {}).get("letters", [])
        if notice.order_in_source >= len(parsed):
            continue
        info = parsed[notice.order_in_source]
        promised = info.get("promised_date")
        notice.promised_date = datetime.date.fromisoformat(promised) if promised else None
        notice.promised_term_days = info.get("promised_term_days")
        notice.save(update_fields=["promised_date", "promised_term_days"])


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0002_search_vectors'),
    ]

    operations = [
        migrations.AddField(
            model_name='letter',
            name='promised_date',
            field=models.DateField(blank=True, help_text='Postponement: the date it promises.', null=True, verbose_name='answer promised by'),
        ),
        migrations.AddField(
            model_name='letter',
            name='promised_term_days',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Postponement: 'binnen drie weken' is 21, counted from the notice's date.", null=True, verbose_name='answer promised within (days)'),
        ),
        migrations.AddField(
            model_name='sourcedocument',
            name='processing_since',
            field=models.DateTimeField(blank=True, help_text='When the import last claimed the file or reported progress.', null=True, verbose_name='processing since'),
        ),
        migrations.RunPython(promises_from_parser_output, migrations.RunPython.noop),
    ]
