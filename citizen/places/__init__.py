"""Places: the integrated care system, its places and neighbourhoods; postcode districts."""
