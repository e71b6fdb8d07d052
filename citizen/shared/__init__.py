"""Pieces shared by every feature: permissions, sanitising, templating helpers, pagination,
form choices."""
