"""PostgreSQL only: a stored tsvector per translation, in its language's configuration, with a GIN index."""

from django.db import migrations

# Kept in step with articles.search.TEXT_SEARCH_CONFIGS; a migration must not import app code.
CONFIGS = {
    "fr": "french", "en": "english", "es": "spanish", "de": "german",
    "it": "italian", "pt": "portuguese", "zh-hans": "simple", "ja": "simple",
}


def _config_sql():
    whens = " ".join(f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in CONFIGS.items())
    return f"(CASE language {whens} ELSE 'simple'::regconfig END)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    config = _config_sql()
    schema_editor.execute(f"""
        ALTER TABLE articles_translation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector({config}, coalesce(title, '')), 'A')
            || setweight(to_tsvector({config}, coalesce(standfirst, '')), 'B')
            || setweight(to_tsvector({config}, regexp_replace(coalesce(body_html, ''), '<[^>]+>', ' ', 'g')), 'C')
        ) STORED
    """)
    schema_editor.execute(
        "CREATE INDEX articles_translation_search_vector ON articles_translation USING GIN (search_vector)"
    )
    schema_editor.execute("ANALYZE articles_translation")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_translation DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
