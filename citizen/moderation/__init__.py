"""Healthwatch tools: moderation queue, personal-data detection and redaction, coding free text."""
