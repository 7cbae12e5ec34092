"""Admin for the translation workflow: the review queue and review screen (issue 5)."""
