"""The representativeness report: population vs pool vs panel per value, from the engine's run."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from citizen.assembly import services
from citizen.assembly.models import Registrant, RegistrantContact, RegistrantDemographics, SelectionRun
from citizen.reach import census_data, representativeness


def test_compare_gives_percentages_per_value() -> None:
    rows = representativeness.compare({"a": 3, "b": 1}, {"a": 1, "b": 1}, {"a": 0.25, "b": 0.75},
                                      ["a", "b", "c"])
    assert rows == [("a", 25.0, 3, 75.0, 1, 50.0), ("b", 75.0, 1, 25.0, 1, 50.0),
                    ("c", None, 0, 0.0, 0, 0.0)]


def test_report_numbers_equal_the_engine_output(app: Flask, db_session: Session) -> None:
    from datetime import date, timedelta

    session = db_session
    today = date.today()
    with app.test_request_context():
        assembly = services.save_assembly(session, services.AssemblyData(
            title="Report test", question="?", places=["coventry"], panel_size=6, reserves=0,
            session_dates=[today + timedelta(days=30)], honorarium="", expenses="",
            registration_opens=today, registration_closes=today + timedelta(days=10),
            open_registration=True, retention_until=None, categories=["sex", "ethnic_group"],
            prefer_not_allowed=["ethnic_group"]), None)
        services.save_targets(session, assembly, [
            ("sex", "female", 3, 3), ("sex", "male", 3, 3),
            ("ethnic_group", "white", 2, 4), ("ethnic_group", "asian", 1, 3),
            ("ethnic_group", "black", 0, 2), ("ethnic_group", "mixed", 0, 2),
            ("ethnic_group", "other", 0, 2)], 10, None)
        groups = ["white", "white", "asian", "black", "white", "asian", "mixed", "prefer_not_to_say"]
        for n in range(24):
            registrant = Registrant(assembly_id=assembly.id, ref=f"rep-{n}", household_key=f"rh{n}")
            registrant.contact = RegistrantContact(name="x", address="x", postcode="CV1 1AA")
            registrant.demographics = RegistrantDemographics(answers={
                "sex": "female" if n % 2 else "male", "ethnic_group": groups[n % len(groups)]})
            session.add(registrant)
        session.flush()
        run = SelectionRun(assembly_id=assembly.id, method="leximin", seed="99",
                           targets=[{"category": t.category, "value": t.value, "min": t.min_seats,
                                     "max": t.max_seats} for t in assembly.targets],
                           pool=[str(r.id) for r in services.pool(session, assembly)])
        session.add(run)
        session.flush()
        services.execute_run(session, run.id)
        assert run.status == "done"
        report = representativeness.assembly_report(session, assembly, run)
    assert report.lowest_probability == pytest.approx(min(run.probabilities.values()))
    assert report.highest_probability == pytest.approx(max(run.probabilities.values()))
    assert report.pool_size == 24 and report.panel_size == 6
    numbers = representativeness.as_dict(report)
    people = {str(r.id): r.demographics.answers for r in services.registrants(session, assembly)}
    for category, values in numbers.items():
        for value, counts in values.items():
            assert counts["panel"] == sum(1 for pid in run.panel if people[pid][category] == value)
            assert counts["pool"] == sum(1 for a in people.values() if a[category] == value)
    shares = census_data.population_shares(["coventry"], "ethnic_group")
    assert numbers["ethnic_group"]["asian"]["population"] == round(shares["asian"] * 100, 1)
    # "Prefer not to say" has no census share and still shows up.
    assert numbers["ethnic_group"]["prefer_not_to_say"]["population"] is None
    ethnic = next(c for c in report.categories if c.category == "ethnic_group")
    assert len(ethnic.chart.rows) == len(ethnic.rows)
    assert ethnic.chart.series_labels == ("Population", "Registered", "Panel")
