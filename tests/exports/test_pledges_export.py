"""Exporting Call to Action pledges: organisations are named, people are not (unless contact
details were allowed), free text is the approved version or redacted automatically."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import Flask
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation, OrganisationMembership
from citizen.exports import services
from tests.accounts.conftest import make_user
from tests.exports.conftest import person
from tests.exports.test_exports import EMAIL, everything_in, files_of, read_csv, start


def seed_pledge(session: Session) -> tuple[str, str]:
    """An approved pledge with two actions and an update; returns (member email, sponsor)."""
    from citizen.pledges.models import OrganisationProfile, Pledge, PledgeAction, PledgeUpdate

    organisation = Organisation(name="Riverside Dairy", slug=f"riverside-{uuid.uuid4().hex[:6]}")
    session.add(organisation)
    session.flush()
    member = make_user(session, f"owner-{uuid.uuid4().hex[:6]}@dairy.example", "organisation_member")
    session.add(OrganisationMembership(user_id=member.id, organisation_id=organisation.id))
    session.add(OrganisationProfile(organisation_id=organisation.id, sector="private", size_band="10-49"))
    sponsor = "Priya Shah"
    pledge = Pledge(organisation_id=organisation.id, status="approved", sponsor_name=sponsor,
                    sponsor_role="Managing director", consent_public=True,
                    submitted_at=dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC),
                    approved_at=dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC))
    first = PledgeAction(position=1, pillar="health_behaviours", beneficiaries="workforce",
                         description="Free fruit; questions to priya@dairy.example",
                         public_description="Free fruit; questions to [email address removed]",
                         target="=1+1 staff", public_target=None,
                         start_date=dt.date(2026, 12, 1), due_date=dt.date(2027, 6, 1))
    second = PledgeAction(position=2, pillar="wider_determinants", beneficiaries="community",
                          description="Pay the real living wage", target="All staff by 2027",
                          start_date=dt.date(2026, 12, 1), due_date=dt.date(2027, 12, 1),
                          progress_status="in_progress")
    second.updates.append(PledgeUpdate(status="in_progress", state="submitted",
                                       text="Halfway there, ring 024 7655 1234 for details"))
    pledge.actions = [first, second]
    session.add(pledge)
    session.add(Pledge(organisation_id=organisation.id, status="draft"))  # never exported
    session.flush()
    return member.email, sponsor


def test_pledge_export_is_pseudonymous_and_redacted(app: Flask, db_session: Session) -> None:
    member_email, sponsor = seed_pledge(db_session)
    _user, client = person(app, db_session, "organiser")
    form = client.get("/exports/new?what=pledges").get_data(as_text=True)
    assert "Actions: pillar" in form and 'value="sponsor"' not in form
    job = start(client, "pledges", columns=["organisation", "sector", "status", "actions",
                                            "latest_update"])
    files = files_of(client, job)
    blob = everything_in(files, "csv")
    assert member_email.encode() not in blob and sponsor.encode() not in blob
    assert not EMAIL.search(blob)
    rows = [r for r in read_csv(files["data"]) if r["organisation"] == "Riverside Dairy"]
    assert len(rows) == 1, "one row per pledge; drafts left out"
    row = rows[0]
    assert row["action1_description"] == "Free fruit; questions to [email address removed]"
    assert row["action1_target"] == "'=1+1 staff"
    assert row["action2_latest_update"] == "Halfway there, ring [phone number removed] for details"
    assert row["action2_progress"] == "in_progress" and row["action3_pillar"] == ""
    dictionary = {d["column"]: d for d in read_csv(files["dictionary"])}
    assert dictionary["action1_pillar"]["label"] == "Action 1: Pillar"


def test_pledge_export_long_with_contact_details(app: Flask, db_session: Session) -> None:
    member_email, sponsor = seed_pledge(db_session)
    admin, _admin_client = person(app, db_session, "admin")
    organiser, client = person(app, db_session, "organiser")
    services.grant_contact_permission(db_session, admin, organiser.email, "Sends the pledge certificates")
    job = start(client, "pledges", layout="long", columns=["organisation", "actions"],
                contact_columns=["sponsor", "contact_emails"],
                contact_reason="Posting certificates to sponsors")
    rows = [r for r in read_csv(files_of(client, job)["data"]) if r["organisation"] == "Riverside Dairy"]
    assert [r["action"] for r in rows] == ["1", "2"]
    assert list(rows[0])[:6] == ["pledge", "organisation", "sponsor_name", "sponsor_role",
                                 "contact_emails", "action"]
    assert rows[0]["sponsor_name"] == sponsor and rows[0]["contact_emails"] == member_email
