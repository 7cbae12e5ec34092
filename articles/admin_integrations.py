"""Admin for webhooks, their delivery log, and Content API keys (issue 8)."""
