"""Citizen engagement platform for health and care partnerships."""
