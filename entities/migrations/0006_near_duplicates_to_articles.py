"""Near-duplicate articles move to the articles app (``articles.0004``): forgotten here, tables kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('entities', '0005_discovered_people'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='fingerprint',
                    name='article',
                ),
                migrations.AlterUniqueTogether(
                    name='nearduplicate',
                    unique_together=None,
                ),
                migrations.RemoveField(
                    model_name='nearduplicate',
                    name='first',
                ),
                migrations.RemoveField(
                    model_name='nearduplicate',
                    name='second',
                ),
                migrations.DeleteModel(
                    name='Band',
                ),
                migrations.DeleteModel(
                    name='Fingerprint',
                ),
                migrations.DeleteModel(
                    name='NearDuplicate',
                ),
            ],
            database_operations=[],
        ),
    ]
