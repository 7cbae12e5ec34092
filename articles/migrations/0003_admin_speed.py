"""PostgreSQL only: indexes in the admin's default orders, and a search index without a pending list."""

from django.db import migrations

INDEXES = {
    # The translation change list: Meta.ordering ("language"), then the admin's "-pk".
    "articles_translation_language_newest": "articles_translation (language, id DESC)",
    # The article change list and the status matrix: newest first.
    "articles_article_newest": "articles_article (created_at DESC, id DESC)",
}
SEARCH_INDEX = "articles_translation_search_vector"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {target}")
    # With fast updates a GIN index keeps new entries in a pending list that every search reads
    # whole, and the planner prices the index by it until a vacuum: enough to prefer reading
    # every essay. Versions are written seldom, so they go straight into the index instead.
    schema_editor.execute(f"ALTER INDEX {SEARCH_INDEX} SET (fastupdate = off)")
    schema_editor.execute(f"SELECT gin_clean_pending_list('{SEARCH_INDEX}'::regclass)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX {SEARCH_INDEX} RESET (fastupdate)")
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_translation_search_vector")]
    operations = [migrations.RunPython(forwards, backwards)]
