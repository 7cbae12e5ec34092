"""PostgreSQL only: indexes in the admin's default orders, so a first page reads 100 rows, not all."""

from django.db import migrations

INDEXES = {
    # The translation change list: Meta.ordering ("language"), then the admin's "-pk".
    "articles_translation_language_newest": "articles_translation (language, id DESC)",
    # The article change list and the status matrix: newest first.
    "articles_article_newest": "articles_article (created_at DESC, id DESC)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {target}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_translation_search_vector")]
    operations = [migrations.RunPython(forwards, backwards)]
