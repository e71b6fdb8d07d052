"""Census 2021 categories shared by equality monitoring (consultations) and assembly targets.

The codes here are the contract between features: a consultation's equality monitoring answers,
an assembly's demographic questions and the census population shares all use these category and
value codes. ``PREFER_NOT_TO_SAY`` is a valid answer everywhere and never has a census share.

Population shares per place live in ``citizen/reach/census_data.py`` (with their source) and are
read through :func:`population_shares`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass(frozen=True)
class Value:
    code: str
    label: object  # a lazy translated string


@dataclass(frozen=True)
class Category:
    code: str
    label: object
    values: tuple[Value, ...]
    # True when census shares exist for this category (postcode district has none).
    has_census: bool = True

    def value_codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.values)

    def label_of(self, code: str) -> object:
        if code == PREFER_NOT_TO_SAY:
            return _l("Prefer not to say")
        for value in self.values:
            if value.code == code:
                return value.label
        return code


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category("age_band", _l("Age"), (
            Value("under_16", _l("Under 16")),
            Value("16_24", _l("16 to 24")),
            Value("25_34", _l("25 to 34")),
            Value("35_44", _l("35 to 44")),
            Value("45_54", _l("45 to 54")),
            Value("55_64", _l("55 to 64")),
            Value("65_74", _l("65 to 74")),
            Value("75_plus", _l("75 or over")),
        )),
        Category("sex", _l("Sex"), (
            Value("female", _l("Female")),
            Value("male", _l("Male")),
        )),
        Category("gender_identity", _l("Is your gender the same as the sex you were registered at birth?"), (
            Value("same", _l("Yes")),
            Value("different", _l("No")),
        )),
        Category("ethnic_group", _l("Ethnic group"), (
            Value("asian", _l("Asian, Asian British or Asian Welsh")),
            Value("black", _l("Black, Black British, Black Welsh, Caribbean or African")),
            Value("mixed", _l("Mixed or multiple ethnic groups")),
            Value("white", _l("White")),
            Value("other", _l("Other ethnic group")),
        )),
        Category("disability", _l("Disability"), (
            Value("disabled", _l("Disabled: day-to-day activities limited a little or a lot")),
            Value("not_disabled", _l("Not disabled")),
        )),
        Category("carer", _l("Unpaid carer"), (
            Value("carer", _l("Provides unpaid care")),
            Value("not_carer", _l("Does not provide unpaid care")),
        )),
        Category("religion", _l("Religion"), (
            Value("no_religion", _l("No religion")),
            Value("christian", _l("Christian")),
            Value("buddhist", _l("Buddhist")),
            Value("hindu", _l("Hindu")),
            Value("jewish", _l("Jewish")),
            Value("muslim", _l("Muslim")),
            Value("sikh", _l("Sikh")),
            Value("other_religion", _l("Any other religion")),
        )),
        Category("sexual_orientation", _l("Sexual orientation"), (
            Value("straight", _l("Straight or heterosexual")),
            Value("gay_lesbian", _l("Gay or lesbian")),
            Value("bisexual", _l("Bisexual")),
            Value("other_orientation", _l("Another sexual orientation")),
        )),
        Category("deprivation_quintile", _l("Deprivation of the area (1 is the most deprived fifth)"), (
            Value("1", _l("1 (most deprived)")),
            Value("2", _l("2")),
            Value("3", _l("3")),
            Value("4", _l("4")),
            Value("5", _l("5 (least deprived)")),
        )),
    )
}

# Detailed Census 2021 ethnic groups (19 tick boxes) as asked on forms, each mapped to the
# five high-level groups above that shares and reports use.
DETAILED_ETHNIC_GROUPS: tuple[tuple[str, object, str], ...] = (
    ("asian_bangladeshi", _l("Asian: Bangladeshi"), "asian"),
    ("asian_chinese", _l("Asian: Chinese"), "asian"),
    ("asian_indian", _l("Asian: Indian"), "asian"),
    ("asian_pakistani", _l("Asian: Pakistani"), "asian"),
    ("asian_other", _l("Asian: any other Asian background"), "asian"),
    ("black_african", _l("Black: African"), "black"),
    ("black_caribbean", _l("Black: Caribbean"), "black"),
    ("black_other", _l("Black: any other Black, Black British or Caribbean background"), "black"),
    ("mixed_white_asian", _l("Mixed: White and Asian"), "mixed"),
    ("mixed_white_black_african", _l("Mixed: White and Black African"), "mixed"),
    ("mixed_white_black_caribbean", _l("Mixed: White and Black Caribbean"), "mixed"),
    ("mixed_other", _l("Mixed: any other mixed or multiple ethnic background"), "mixed"),
    ("white_british", _l("White: English, Welsh, Scottish, Northern Irish or British"), "white"),
    ("white_irish", _l("White: Irish"), "white"),
    ("white_gypsy_traveller", _l("White: Gypsy or Irish Traveller"), "white"),
    ("white_roma", _l("White: Roma"), "white"),
    ("white_other", _l("White: any other White background"), "white"),
    ("other_arab", _l("Other ethnic group: Arab"), "other"),
    ("other_any", _l("Other ethnic group: any other ethnic group"), "other"),
)


def high_level_ethnic_group(detailed: str) -> str:
    """The five-group code for a detailed ethnic group code (or the code itself if high level)."""
    for code, _label, group in DETAILED_ETHNIC_GROUPS:
        if code == detailed:
            return group
    return detailed


def population_shares(place_slugs: Sequence[str], category: str,
                      *, adults_only: bool = False) -> dict[str, float]:
    """Each value's share (0-1, summing to 1) of the population of ``place_slugs`` together,
    weighted by each place's population. ``adults_only`` drops ``under_16`` from age and
    rescales. Raises ``KeyError`` for an unknown category or a category without census data.
    """
    from citizen.reach import census_data

    return census_data.population_shares(place_slugs, category, adults_only=adults_only)
