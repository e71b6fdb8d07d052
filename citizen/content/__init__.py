"""Information pages in community languages and Easy Read, with community review."""
