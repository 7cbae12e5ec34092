"""The editorial app: articles, their translations, credits and acknowledgements."""
