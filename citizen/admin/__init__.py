"""Admin pages: people and their roles, the audit log, and personal data requests."""
