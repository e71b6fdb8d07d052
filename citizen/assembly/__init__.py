"""Citizens' Assembly recruitment: targets, invitations, registration, selection, replacement."""
