"""Who took part against the census: representativeness reports and charts."""
