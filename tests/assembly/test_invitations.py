"""Invitation draw: reproducible from its seed, unique short codes, an extra share from the
most deprived areas, mail-merge CSV and printable PDF letters."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.assembly import invitations
from tests.assembly.conftest import make_assembly

FILE = ("address,postcode,imd_quintile\n" + "\n".join(
    f"{n} Letter Lane,CV2 {n % 9}XY,{1 + n % 5}" for n in range(1, 201))).encode()


def test_the_same_seed_and_file_give_the_same_draw() -> None:
    rows = invitations.parse_addresses(FILE)
    assert len(rows) == 200
    first = invitations.choose(rows, 30, 20, seed=1234)
    again = invitations.choose(rows, 30, 20, seed=1234)
    other = invitations.choose(rows, 30, 20, seed=1235)
    assert [a.address for a, _ in first] == [a.address for a, _ in again]
    assert [a.address for a, _ in first] != [a.address for a, _ in other]
    assert len({a.address for a, _ in first}) == 30  # without replacement


def test_extra_share_comes_from_the_most_deprived_fifth() -> None:
    rows = invitations.parse_addresses(FILE)
    chosen = invitations.choose(rows, 50, 40, seed=9)
    extra = [a for a, from_deprived in chosen if from_deprived]
    assert len(extra) == 20 and all(a.quintile == "1" for a in extra)
    none = invitations.choose(rows, 50, 0, seed=9)
    assert not any(flag for _, flag in none)


def test_bad_files_and_too_few_addresses() -> None:
    with pytest.raises(invitations.InvitationError):
        invitations.parse_addresses(b"street,town\nx,y\n")
    with pytest.raises(invitations.InvitationError):
        invitations.parse_addresses(b"\xff\xfe\x00")
    with pytest.raises(invitations.InvitationError) as error:
        invitations.choose(invitations.parse_addresses(FILE), 500, 0, seed=1)
    assert error.value.code == "too_few_addresses"


def test_draw_records_seed_and_gives_unique_codes(app: Flask, db_session: Session) -> None:
    assembly = make_assembly(db_session)
    with app.test_request_context():
        first = invitations.draw(db_session, assembly, FILE, 40, 10, 77, None)
        second = invitations.draw(db_session, assembly, FILE, 40, 10, 77, None)
    one = invitations.invitations_of(db_session, first)
    two = invitations.invitations_of(db_session, second)
    assert first.seed == "77" and first.addresses_in_file == 200 and len(first.file_sha256) == 64
    # Same seed: same addresses in the same order; codes never repeat.
    assert [i.address for i in one] == [i.address for i in two]
    codes = [i.code for i in one + two]
    assert len(set(codes)) == 80
    assert all(len(c) == 6 and set(c) <= set(invitations.CODE_ALPHABET) for c in codes)


def test_upload_page_csv_and_pdf(organiser: FlaskClient, db_session: Session) -> None:
    assembly = make_assembly(db_session)
    page = organiser.post(f"/assembly/manage/{assembly.id}/invitations", data={
        "addresses": (io.BytesIO(b"street,town\n"), "bad.csv"), "count": "5", "deprived_share": "0"},
        content_type="multipart/form-data")
    assert "The file must be a CSV file" in page.get_data(as_text=True)
    response = organiser.post(f"/assembly/manage/{assembly.id}/invitations", data={
        "addresses": (io.BytesIO(FILE), "addresses.csv"), "count": "12", "deprived_share": "25",
        "seed": "555"}, content_type="multipart/form-data")
    assert response.status_code == 302
    record = invitations.draws(db_session, assembly)[0]
    merge = organiser.get(f"/assembly/manage/{assembly.id}/invitations/{record.id}/mail-merge.csv")
    rows = list(csv.DictReader(io.StringIO(merge.get_data(as_text=True))))
    assert len(rows) == 12
    assert rows[0]["registration_url"].endswith(f"/assembly/{assembly.slug}/register?code="
                                                + rows[0]["code"].replace("-", ""))
    pdf = organiser.get(f"/assembly/manage/{assembly.id}/invitations/{record.id}/letters.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    data = pdf.get_data()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", data)) == 12  # one letter a page
    polish = organiser.get(f"/assembly/manage/{assembly.id}/invitations/{record.id}/letters.pdf?lang=pl")
    assert polish.status_code == 200 and polish.get_data().startswith(b"%PDF")
    page = organiser.get(f"/assembly/manage/{assembly.id}/invitations").get_data(as_text=True)
    assert "lang=pl" in page and "Mail-merge CSV" in page
