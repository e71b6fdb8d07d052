"""The public registration form: consent, codes, households, telephone registration, languages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen import selection
from citizen.assembly import invitations, services
from citizen.assembly.demo import DEMO_SLUG
from citizen.assembly.models import Assembly, Registrant, RegistrantContact
from tests.assembly.conftest import make_assembly
from tests.conftest import Inbox

ADDRESSES = b"address,postcode,imd_quintile\n" + b"\n".join(
    f"{n} Code Road,CV21 {n % 9}AB,{1 + n % 5}".encode() for n in range(1, 21))


def _form(**overrides: Any) -> dict[str, Any]:
    data = {"name": "Sam Example", "email": "sam@example.org", "phone": "", "address": "2 Test Lane",
            "postcode": "CV37 6AA", "q_age_band": "45_54", "q_sex": "male",
            "q_ethnic_group": "white", "q_disability": "not_disabled", "access_needs": "",
            "consent": "y"}
    data.update(overrides)
    return data


def test_form_has_every_question_and_states_retention(client: FlaskClient, db_session: Session) -> None:
    page = client.get(f"/assembly/{DEMO_SLUG}/register").get_data(as_text=True)
    for name in ("q_age_band", "q_sex", "q_ethnic_group", "q_disability", "consent", "postcode"):
        assert f'name="{name}"' in page
    assert "Prefer not to say" in page  # allowed for ethnic group and disability
    assert "special category" in page
    assert "kept until" in page


def test_consent_is_required_and_nothing_typed_is_lost(client: FlaskClient, db_session: Session) -> None:
    response = client.post(f"/assembly/{DEMO_SLUG}/register", data=_form(consent=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tick the box to agree" in page
    assert 'value="Sam Example"' in page and "2 Test Lane" in page
    assert db_session.scalar(select(RegistrantContact).where(
        RegistrantContact.email == "sam@example.org")) is None


def test_prefer_not_to_say_only_where_allowed(client: FlaskClient, db_session: Session) -> None:
    bad = client.post(f"/assembly/{DEMO_SLUG}/register", data=_form(q_sex="prefer_not_to_say"))
    assert bad.status_code == 200
    assert db_session.scalar(select(RegistrantContact).where(
        RegistrantContact.email == "sam@example.org")) is None
    ok = client.post(f"/assembly/{DEMO_SLUG}/register", data=_form(q_ethnic_group="prefer_not_to_say"))
    assert ok.status_code == 302


def test_bad_postcode_and_missing_contact_are_explained(client: FlaskClient, db_session: Session) -> None:
    page = client.post(f"/assembly/{DEMO_SLUG}/register",
                       data=_form(postcode="nonsense")).get_data(as_text=True)
    assert "Enter a postcode like CV1 2AB" in page
    page = client.post(f"/assembly/{DEMO_SLUG}/register",
                       data=_form(email="", phone="")).get_data(as_text=True)
    assert "Enter an email address or a phone number" in page


def test_contact_and_demographics_are_stored_apart(client: FlaskClient, db_session: Session,
                                                   inbox: Inbox) -> None:
    client.post(f"/assembly/{DEMO_SLUG}/register", data=_form())
    contact = db_session.scalar(select(RegistrantContact).where(RegistrantContact.email == "sam@example.org"))
    assert contact is not None
    registrant = contact.registrant
    assert registrant.demographics is not None
    assert registrant.demographics.answers == {"age_band": "45_54", "sex": "male",
                                               "ethnic_group": "white", "disability": "not_disabled"}
    assert registrant.consent_at is not None and not registrant.by_phone
    assert "sam" not in str(registrant.demographics.answers).lower()
    body = Inbox.body(inbox.last_to("sam@example.org"))
    assert "delete" in body and "/assembly/your-data" in body


def test_codes_one_registration_per_code(app: Flask, client: FlaskClient, db_session: Session) -> None:
    assembly = make_assembly(db_session, open_registration=False, categories=["sex"])
    with app.test_request_context():
        draw = invitations.draw(db_session, assembly, ADDRESSES, 5, 0, 42, None)
    codes = [i.code for i in invitations.invitations_of(db_session, draw)]
    data = {"name": "Kim", "email": "kim@example.org", "address": "3 Code Road", "postcode": "CV21 3AB",
            "q_sex": "female", "consent": "y"}
    url = f"/assembly/{assembly.slug}/register"
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Enter the code from your invitation letter" in page
    page = client.post(url, data={**data, "code": "ZZZ-ZZZ"}).get_data(as_text=True)
    assert "We do not know that code" in page
    code = invitations.format_code(codes[0]).lower()  # forgiving about case and the dash
    assert client.post(url, data={**data, "code": code}).status_code == 302
    page = client.post(url, data={**data, "code": codes[0], "email": "o@example.org"}).get_data(as_text=True)
    assert "Someone has already registered with that code" in page
    registrant = db_session.scalar(select(Registrant).where(Registrant.assembly_id == assembly.id))
    assert registrant is not None and registrant.invitation_id is not None
    # The deprivation quintile of the invitation's address is used, never asked.
    assembly.categories = ["sex", "deprivation_quintile"]
    db_session.flush()
    form_page = client.get(url).get_data(as_text=True)
    assert "q_deprivation_quintile" not in form_page
    assert client.post(url, data={**data, "code": codes[1], "email": "b@example.org"}).status_code == 302
    second = db_session.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id)
                                .order_by(Registrant.id)).all()[-1]
    assert second.demographics is not None
    assert second.demographics.answers["deprivation_quintile"] in {"1", "2", "3", "4", "5"}


def test_household_second_person_accepted_but_never_both_on_panel(
    app: Flask, client: FlaskClient, db_session: Session,
) -> None:
    assembly = make_assembly(db_session, categories=["sex"], panel_size=2, reserves=0)
    services.save_targets(db_session, assembly, [("sex", "female", 1, 1), ("sex", "male", 1, 1)], 10, None)
    url = f"/assembly/{assembly.slug}/register"
    for n, (sex, address) in enumerate([("female", "1 Same Street"), ("male", "1 same street "),
                                         ("male", "9 Other Road")]):
        response = client.post(url, data={"name": f"P{n}", "email": f"p{n}@example.org",
                                          "address": address, "postcode": "CV37 6AA",
                                          "q_sex": sex, "consent": "y"})
        assert response.status_code == 302
    people = services.pool(db_session, assembly)
    assert len(people) == 3
    assert people[0].household_key == people[1].household_key != people[2].household_key
    problem = services.build_problem(assembly, people, services.target_rows(assembly))
    assert problem.use_households
    for seed in range(20):
        result = selection.select(problem, seed=seed)
        assert str(people[1].id) not in result.panel  # the other man always sits
        assert result.probabilities[str(people[1].id)] == pytest.approx(0)


def test_staff_telephone_registration_is_marked(organiser: FlaskClient, db_session: Session) -> None:
    assembly = db_session.scalar(select(Assembly).where(Assembly.slug == DEMO_SLUG))
    assert assembly is not None
    response = organiser.post(f"/assembly/manage/{assembly.id}/phone-registration",
                              data=_form(email="", phone="07700 900123", name="Phone Person"))
    assert response.status_code == 302
    contact = db_session.scalar(select(RegistrantContact).where(RegistrantContact.name == "Phone Person"))
    assert contact is not None
    assert contact.registrant.by_phone and contact.registrant.registered_by_id is not None


def test_closed_registration(client: FlaskClient, db_session: Session) -> None:
    from datetime import date, timedelta

    today = date.today()
    assembly = make_assembly(db_session, registration_opens=today + timedelta(days=2),
                             registration_closes=today + timedelta(days=5))
    page = client.get(f"/assembly/{assembly.slug}/register").get_data(as_text=True)
    assert "Registration is closed" in page
    assert client.post(f"/assembly/{assembly.slug}/register", data=_form()).status_code == 200
    assert not services.registrants(db_session, assembly)


@pytest.mark.parametrize("locale", ["ur", "ar", "pl", "bn", "pa", "gu", "fa", "ckb", "ro", "ti", "en"])
def test_form_renders_in_every_shipped_language(client: FlaskClient, db_session: Session,
                                                locale: str) -> None:
    client.set_cookie("lang", locale)
    response = client.get(f"/assembly/{DEMO_SLUG}/register", headers={"Accept-Language": locale})
    assert response.status_code == 200
    assert f'lang="{locale}"' in response.get_data(as_text=True)
