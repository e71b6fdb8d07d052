"""The site itself: home page, language choice, legal pages and the health check."""
