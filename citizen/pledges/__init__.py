"""Call to Action: organisations, pledges, progress updates and the public pledge wall."""
