"""Census 2021 population shares for the places of Coventry and Warwickshire.

Source: Office for National Statistics, Census 2021, local authority tables
(https://www.ons.gov.uk/census), and the English Indices of Deprivation 2019 (MHCLG):

* ``age_band``            TS007A  Age by five-year age bands (grouped into the bands used here)
* ``sex``                 TS008   Sex
* ``gender_identity``     TS078   Gender identity (usual residents aged 16 and over)
* ``ethnic_group``        TS021   Ethnic group (high-level, five groups)
* ``disability``          TS038   Disability (Equality Act disabled)
* ``carer``               TS039   Provision of unpaid care (usual residents aged 5 and over)
* ``religion``            TS030   Religion
* ``sexual_orientation``  TS077   Sexual orientation (usual residents aged 16 and over)
* ``deprivation_quintile`` IMD 2019: share of residents living in lower-layer super output areas
  (LSOAs) in each national fifth of the Index of Multiple Deprivation.

HONESTY NOTE: the figures below are percentages rounded to one decimal place (some to the
nearest whole percent) and were transcribed by hand for this prototype. Coventry's ethnic group
(White 65.5%, Asian 18.5%, Black 8.9%) and "no religion" (31.6%) figures were checked against
Coventry City Council's Census 2021 summaries; the other figures are approximate and the
deprivation quintile shares are ESTIMATES from the IMD 2019 LSOA ranks, not a published table.
"Not answered" (religion, sexual orientation, gender identity) is left out and the remaining
values are rescaled to sum to 1. Screens that use these shares say "shares are approximate,
check against ONS". Replace this table with an ONS download before relying on it.

Places are combinations of local authorities (LAs): Coventry; Rugby; South Warwickshire =
Stratford-on-Avon + Warwick; Warwickshire North = North Warwickshire + Nuneaton and Bedworth.
Inside a place the LAs are weighted by their Census 2021 usual resident populations; places are
combined with the populations in ``citizen/places/data.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from citizen.places import data as places_data

SOURCE = (
    "ONS Census 2021 (TS007A, TS008, TS021, TS030, TS038, TS039, TS077, TS078) and English "
    "Indices of Deprivation 2019; rounded, partly estimated: shares are approximate, check "
    "against ONS."
)

# Census 2021 usual resident populations of the local authorities (rounded to the nearest 100).
LA_POPULATION: dict[str, int] = {
    "coventry": 345_300,
    "rugby": 114_400,
    "stratford_on_avon": 134_700,
    "warwick": 148_500,
    "north_warwickshire": 65_000,
    "nuneaton_and_bedworth": 134_200,
}

PLACE_LAS: dict[str, tuple[str, ...]] = {
    "coventry": ("coventry",),
    "rugby": ("rugby",),
    "south-warwickshire": ("stratford_on_avon", "warwick"),
    "warwickshire-north": ("north_warwickshire", "nuneaton_and_bedworth"),
}

ICS_SLUG = "coventry-and-warwickshire"

# Percentages per local authority. Order of LAs in each tuple:
# coventry, rugby, stratford_on_avon, warwick, north_warwickshire, nuneaton_and_bedworth
_LAS = ("coventry", "rugby", "stratford_on_avon", "warwick", "north_warwickshire",
        "nuneaton_and_bedworth")

_PERCENT: dict[str, dict[str, tuple[float, ...]]] = {
    # TS007A, grouped. Approximate (rounded to 0.5%).
    "age_band": {
        "under_16": (19.5, 19.5, 16.5, 17.0, 17.0, 19.0),
        "16_24": (16.5, 9.0, 8.0, 14.0, 9.0, 9.5),
        "25_34": (15.5, 12.5, 9.5, 13.0, 11.0, 13.0),
        "35_44": (12.5, 13.5, 11.0, 12.5, 11.5, 12.5),
        "45_54": (11.5, 13.5, 14.0, 13.0, 14.0, 13.0),
        "55_64": (10.5, 13.0, 15.0, 12.0, 15.0, 13.0),
        "65_74": (7.5, 10.0, 13.0, 9.5, 12.0, 10.5),
        "75_plus": (6.5, 9.0, 13.0, 9.0, 10.5, 9.5),
    },
    # TS008. Approximate.
    "sex": {
        "female": (49.9, 50.5, 51.0, 50.6, 50.4, 50.7),
        "male": (50.1, 49.5, 49.0, 49.4, 49.6, 49.3),
    },
    # TS078, aged 16+, "not answered" removed. Approximate.
    "gender_identity": {
        "same": (99.1, 99.4, 99.6, 99.3, 99.6, 99.5),
        "different": (0.9, 0.6, 0.4, 0.7, 0.4, 0.5),
    },
    # TS021. Coventry checked (65.5 / 18.5 / 8.9); others approximate.
    "ethnic_group": {
        "asian": (18.5, 8.3, 1.8, 10.4, 2.0, 8.2),
        "black": (8.9, 2.3, 0.4, 1.3, 0.8, 2.2),
        "mixed": (3.6, 2.5, 1.5, 2.5, 1.3, 1.9),
        "white": (65.5, 85.9, 95.8, 84.5, 95.5, 87.0),
        "other": (3.5, 1.0, 0.5, 1.3, 0.4, 0.7),
    },
    # TS038 (Equality Act disabled). Approximate.
    "disability": {
        "disabled": (17.8, 16.2, 16.0, 15.3, 18.5, 19.4),
        "not_disabled": (82.2, 83.8, 84.0, 84.7, 81.5, 80.6),
    },
    # TS039 (aged 5+). Approximate.
    "carer": {
        "carer": (8.6, 8.7, 9.3, 8.4, 10.0, 10.1),
        "not_carer": (91.4, 91.3, 90.7, 91.6, 90.0, 89.9),
    },
    # TS030, "not answered" removed before rescaling. Coventry "no religion" checked (31.6).
    "religion": {
        "no_religion": (31.6, 37.3, 39.3, 40.0, 37.0, 37.0),
        "christian": (41.9, 48.7, 52.6, 43.5, 55.0, 49.6),
        "buddhist": (0.4, 0.4, 0.3, 0.5, 0.2, 0.2),
        "hindu": (3.5, 2.9, 0.5, 2.3, 0.5, 1.7),
        "jewish": (0.1, 0.1, 0.2, 0.2, 0.1, 0.1),
        "muslim": (9.6, 2.2, 0.6, 1.9, 0.6, 2.0),
        "sikh": (5.6, 1.6, 0.3, 4.4, 0.7, 2.6),
        "other_religion": (0.6, 0.5, 0.5, 0.6, 0.4, 0.5),
    },
    # TS077, aged 16+, "not answered" removed. Approximate.
    "sexual_orientation": {
        "straight": (89.5, 90.5, 91.0, 90.0, 91.5, 91.0),
        "gay_lesbian": (1.6, 1.4, 1.3, 1.6, 1.1, 1.3),
        "bisexual": (1.5, 1.1, 0.9, 1.5, 0.8, 1.0),
        "other_orientation": (0.4, 0.2, 0.2, 0.3, 0.2, 0.2),
    },
    # IMD 2019 national quintiles of LSOAs, share of residents: ESTIMATED (whole percent).
    "deprivation_quintile": {
        "1": (34.0, 6.0, 1.0, 2.0, 4.0, 22.0),
        "2": (22.0, 12.0, 6.0, 9.0, 18.0, 22.0),
        "3": (18.0, 18.0, 18.0, 18.0, 30.0, 24.0),
        "4": (15.0, 26.0, 30.0, 26.0, 28.0, 18.0),
        "5": (11.0, 38.0, 45.0, 45.0, 20.0, 14.0),
    },
}

CATEGORIES_WITH_DATA: tuple[str, ...] = tuple(_PERCENT)


def _place_population(slug: str) -> int:
    for area in places_data.AREAS:
        if area.slug == slug and area.population:
            return area.population
    return sum(LA_POPULATION[la] for la in PLACE_LAS[slug])


def _expand(place_slugs: Sequence[str]) -> list[str]:
    slugs: list[str] = []
    for slug in place_slugs:
        if slug == ICS_SLUG:
            candidates: Sequence[str] = tuple(PLACE_LAS)
        elif slug in PLACE_LAS:
            candidates = (slug,)
        else:
            raise KeyError(slug)
        for candidate in candidates:
            if candidate not in slugs:
                slugs.append(candidate)
    return slugs


def _la_shares(la: str, category: str) -> dict[str, float]:
    index = _LAS.index(la)
    raw = {code: values[index] for code, values in _PERCENT[category].items()}
    total = sum(raw.values())
    return {code: value / total for code, value in raw.items()}


def place_shares(place_slug: str, category: str) -> dict[str, float]:
    """Shares of one place (not the ICS), its LAs weighted by their census populations."""
    las = PLACE_LAS[place_slug]
    total = sum(LA_POPULATION[la] for la in las)
    result: dict[str, float] = {code: 0.0 for code in _PERCENT[category]}
    for la in las:
        for code, share in _la_shares(la, category).items():
            result[code] += share * LA_POPULATION[la] / total
    return result


def population_shares(place_slugs: Sequence[str], category: str,
                      *, adults_only: bool = False) -> dict[str, float]:
    """Each value's share (0-1, summing to 1) of the places together, weighted by each place's
    population (``citizen/places/data.py``). ``coventry-and-warwickshire`` means all four
    places. ``adults_only`` drops ``under_16`` from age and rescales. ``KeyError`` for an unknown
    category, place, or a category without census data. No places at all means the whole
    area (all four places)."""
    if category not in _PERCENT:
        raise KeyError(category)
    slugs = _expand(place_slugs or (ICS_SLUG,))
    weights = {slug: _place_population(slug) for slug in slugs}
    total_weight = sum(weights.values())
    result: dict[str, float] = {code: 0.0 for code in _PERCENT[category]}
    for slug in slugs:
        for code, share in place_shares(slug, category).items():
            result[code] += share * weights[slug] / total_weight
    if adults_only and category == "age_band":
        result.pop("under_16", None)
        remaining = sum(result.values())
        result = {code: share / remaining for code, share in result.items()}
    return result
