"""Near-duplicate articles (Fingerprint, Band, NearDuplicate) move here from the entities app.

Only Django's idea of where the models live changes: their tables keep
their names (``entities_*``) and their rows, nothing is copied or
altered.  ``entities.0005`` forgets them first.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("fingerprint", "band", "nearduplicate")


def move_content_types(apps, schema_editor):
    """Their content types (and so permissions and admin history) follow them, when the new ones are not made yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label="articles", model=model).exists():
            ContentType.objects.using(db).filter(app_label="entities", model=model).update(app_label="articles")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label="entities", model=model).exists():
            ContentType.objects.using(db).filter(app_label="articles", model=model).update(app_label="entities")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_latest_index_and_labels'),
        ('entities', '0006_near_duplicates_to_articles'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Fingerprint',
                    fields=[
                        ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='fingerprint', serialize=False, to='articles.article')),
                        ('signature', models.JSONField()),
                        ('size', models.PositiveIntegerField(help_text='Number of distinct shingles.')),
                    ],
                    options={
                        'db_table': 'entities_fingerprint',
                    },
                ),
                migrations.CreateModel(
                    name='Band',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.BigIntegerField(db_index=True)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                    ],
                    options={
                        'db_table': 'entities_band',
                    },
                ),
                migrations.CreateModel(
                    name='NearDuplicate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('containment', models.FloatField(help_text="Estimated share of the shorter text's shingles found in the other.")),
                        ('first', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                        ('second', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                    ],
                    options={
                        'db_table': 'entities_nearduplicate',
                        'unique_together': {('first', 'second')},
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]
