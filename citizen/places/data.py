"""The areas of Coventry and Warwickshire, as seeded into the database.

Populations come from the partnership's own documents (``shared/seeds``): the ICS "around
943,000 people"; Rugby 103,443; South Warwickshire "circa 270,000"; Warwickshire North 192,278.
No figure for Coventry is given there, so it is the ICS total less the other three places and
is labelled as derived. Neighbourhood populations are not in the documents and are left empty.
"""

from __future__ import annotations

from typing import NamedTuple


class AreaSeed(NamedTuple):
    slug: str
    name: str
    kind: str
    parent: str | None
    population: int | None
    source: str | None


ICS_POPULATION = 943_000
RUGBY_POPULATION = 103_443
SOUTH_WARWICKSHIRE_POPULATION = 270_000
WARWICKSHIRE_NORTH_POPULATION = 192_278
COVENTRY_POPULATION = (
    ICS_POPULATION - RUGBY_POPULATION - SOUTH_WARWICKSHIRE_POPULATION - WARWICKSHIRE_NORTH_POPULATION
)

AREAS: tuple[AreaSeed, ...] = (
    AreaSeed("coventry-and-warwickshire", "Coventry and Warwickshire", "ics", None,
             ICS_POPULATION, "Place Forum case study: 'around 943,000 people'"),
    AreaSeed("coventry", "Coventry", "place", "coventry-and-warwickshire", COVENTRY_POPULATION,
             "Derived: the ICS total less Rugby, South Warwickshire and Warwickshire North"),
    AreaSeed("rugby", "Rugby", "place", "coventry-and-warwickshire", RUGBY_POPULATION,
             "Our Place - Rugby: 'home to 103,443 residents'"),
    AreaSeed("south-warwickshire", "South Warwickshire", "place", "coventry-and-warwickshire",
             SOUTH_WARWICKSHIRE_POPULATION,
             "Our Place - South Warwickshire: 'a population of circa 270,000'"),
    AreaSeed("warwickshire-north", "Warwickshire North", "place", "coventry-and-warwickshire",
             WARWICKSHIRE_NORTH_POPULATION,
             "Our Place - Warwickshire North: 'home to 192,278 residents'"),
    # Neighbourhoods: towns and boroughs the place documents name.
    AreaSeed("nuneaton", "Nuneaton", "neighbourhood", "warwickshire-north", None, None),
    AreaSeed("bedworth", "Bedworth", "neighbourhood", "warwickshire-north", None, None),
    AreaSeed("north-warwickshire-borough", "North Warwickshire borough", "neighbourhood",
             "warwickshire-north", None, None),
    AreaSeed("rugby-town", "Rugby town", "neighbourhood", "rugby", None, None),
    AreaSeed("rugby-rural", "Rugby rural", "neighbourhood", "rugby", None, None),
    AreaSeed("warwick-and-leamington", "Warwick and Leamington Spa", "neighbourhood",
             "south-warwickshire", None, None),
    AreaSeed("kenilworth", "Kenilworth", "neighbourhood", "south-warwickshire", None, None),
    AreaSeed("stratford-upon-avon", "Stratford-upon-Avon", "neighbourhood",
             "south-warwickshire", None, None),
    AreaSeed("south-warwickshire-rural", "Rural South Warwickshire", "neighbourhood",
             "south-warwickshire", None, None),
)

# Postcode district -> most specific area, and whether the district crosses a boundary.
DISTRICTS: tuple[tuple[str, str, bool], ...] = (
    ("CV1", "coventry", False),
    ("CV2", "coventry", False),
    ("CV3", "coventry", False),
    ("CV4", "coventry", False),
    ("CV5", "coventry", False),
    ("CV6", "coventry", False),
    ("CV7", "bedworth", True),
    ("CV8", "kenilworth", True),
    ("CV9", "north-warwickshire-borough", False),
    ("CV10", "nuneaton", False),
    ("CV11", "nuneaton", False),
    ("CV12", "bedworth", False),
    ("CV21", "rugby-town", False),
    ("CV22", "rugby-town", False),
    ("CV23", "rugby-rural", False),
    ("CV31", "warwick-and-leamington", False),
    ("CV32", "warwick-and-leamington", False),
    ("CV33", "south-warwickshire-rural", False),
    ("CV34", "warwick-and-leamington", False),
    ("CV35", "south-warwickshire-rural", False),
    ("CV36", "south-warwickshire-rural", False),
    ("CV37", "stratford-upon-avon", False),
    ("CV47", "south-warwickshire-rural", False),
    ("B46", "north-warwickshire-borough", True),
    ("B49", "south-warwickshire-rural", False),
    ("B50", "south-warwickshire-rural", True),
    ("B78", "north-warwickshire-borough", True),
    ("B80", "south-warwickshire-rural", True),
    ("B95", "south-warwickshire-rural", False),
)
