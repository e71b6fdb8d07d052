"""Who took part: shares of respondents against census shares, small groups suppressed."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from citizen.consultations.models import EqualityMonitoringRecord
from citizen.reach import participation
from citizen.reach.census import CATEGORIES


def test_suppress_hides_small_groups_and_a_second_one_when_alone() -> None:
    assert participation.suppress({"a": 50, "b": 12, "c": 3}) == {"c", "b"}
    assert participation.suppress({"a": 50, "b": 4, "c": 3}) == {"b", "c"}
    assert participation.suppress({"a": 50, "b": 10, "c": 0}) == set()


def test_category_report_shares_and_under_representation(app: Flask) -> None:
    with app.test_request_context():
        counts = {"female": 80, "male": 20, "prefer_not_to_say": 4}
        report = participation.category_report("sex", counts, ["coventry"])
    female, male = report.rows
    assert report.answered == 100 and report.prefer_not_to_say is None  # 4 < 10: hidden too
    assert female.count == 80 and female.respondent_share == pytest.approx(0.8)
    assert male.count == 20 and male.under_represented  # 20% against about 50% of the population
    assert not female.under_represented
    assert female.population_share is not None and 0.4 < female.population_share < 0.6


def test_suppressed_group_is_flagged_only_when_it_follows_from_fewer_than_ten(app: Flask) -> None:
    with app.test_request_context():
        counts = {"white": 200, "asian": 5, "black": 30, "mixed": 12, "other": 11}
        report = participation.category_report("ethnic_group", counts, ["coventry"])
    rows = {row.code: row for row in report.rows}
    assert rows["asian"].count is None and rows["asian"].respondent_share is None
    assert rows["asian"].under_represented  # about 18% of Coventry: 46 expected of 258
    assert rows["other"].count is None  # complementary suppression: the next smallest


def test_report_counts_by_sql_and_draws_charts(app: Flask, db_session: Session) -> None:
    from tests.consultations.helpers import every_kind

    c = every_kind(db_session)
    for index in range(24):
        db_session.add(EqualityMonitoringRecord(
            id=uuid.uuid4().hex, consultation_id=c.id, recorded_on=date.today(),
            age_band="25_34" if index < 15 else ("75_plus" if index < 20 else "45_54"),
            sex="female" if index < 20 else "male",
            ethnic_group="white"))
    db_session.flush()
    with app.test_request_context():
        report = participation.report(db_session, c.id, c.place_slugs)
        charts = participation.charts(report)
    assert report.respondents == 24
    age = next(cat for cat in report.categories if cat.code == "age_band")
    rows = {row.code: row for row in age.rows}
    assert rows["25_34"].count == 15 and rows["75_plus"].count is None and rows["45_54"].count is None
    assert {cat.code for cat in report.categories} == {"age_band", "sex", "ethnic_group"}
    assert len(charts) == 3
    sex_chart = next(chart for chart in charts if chart.title == str(CATEGORIES["sex"].label))
    assert sex_chart.rows[1].bars[0].text == "fewer than 10"
