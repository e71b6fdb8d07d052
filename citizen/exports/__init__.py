"""Exports: streaming CSV / XLSX / JSON Lines, pseudonymisation, background export jobs."""
