"""Accounts: people, roles, organisations, sign-in, two-factor, sessions."""
