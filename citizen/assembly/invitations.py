"""Invitation letters: a reproducible random draw of addresses, each with a unique short code."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.assembly.models import Assembly, Invitation, InvitationDraw
from citizen.selection import SeededRandom
from citizen.shared import audit

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6


class InvitationError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Address:
    address: str
    postcode: str
    quintile: str | None


def parse_addresses(data: bytes) -> list[Address]:
    """Rows of a CSV file with columns ``address``, ``postcode`` and optional ``imd_quintile``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvitationError("bad_file") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in (reader.fieldnames or [])}
    if not {"address", "postcode"} <= fields:
        raise InvitationError("bad_file")
    rows = []
    for raw in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not row.get("address"):
            continue
        quintile = row.get("imd_quintile") or None
        rows.append(Address(row["address"], row.get("postcode", "").upper(),
                            quintile if quintile in ("1", "2", "3", "4", "5") else None))
    return rows


def _sample(items: list[Address], count: int, rng: SeededRandom) -> list[Address]:
    """``count`` items without replacement (partial Fisher-Yates), in draw order."""
    pool = list(items)
    chosen = []
    for i in range(min(count, len(pool))):
        j = i + rng.randbelow(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
        chosen.append(pool[i])
    return chosen


def choose(addresses: list[Address], count: int, deprived_share: int,
           seed: int) -> list[tuple[Address, bool]]:
    """The addresses to write to: first an extra share from the most deprived fifth (IMD
    quintile 1), then the rest at random from everyone not yet chosen. Same seed and file,
    same result."""
    if count > len(addresses):
        raise InvitationError("too_few_addresses")
    rng = SeededRandom(seed, "assembly-invitations")
    extra = round(count * deprived_share / 100)
    deprived = [a for a in addresses if a.quintile == "1"]
    first = _sample(deprived, extra, rng.child("deprived"))
    taken = {id(a) for a in first}
    rest = _sample([a for a in addresses if id(a) not in taken], count - len(first), rng.child("all"))
    return [(a, True) for a in first] + [(a, False) for a in rest]


def new_code(taken: set[str], rng: SeededRandom) -> str:
    """A code not in ``taken`` (which it joins)."""
    while True:
        code = "".join(CODE_ALPHABET[rng.randbelow(len(CODE_ALPHABET))] for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def format_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"


def draw(session: Session, assembly: Assembly, data: bytes, count: int, deprived_share: int,
         seed: int | None, actor_id: int | None) -> InvitationDraw:
    addresses = parse_addresses(data)
    seed = seed if seed is not None else secrets.randbits(62)
    chosen = choose(addresses, count, deprived_share, seed)
    record = InvitationDraw(assembly_id=assembly.id, seed=str(seed), requested=count,
                            deprived_share=deprived_share, addresses_in_file=len(addresses),
                            file_sha256=hashlib.sha256(data).hexdigest(), drawn_by_id=actor_id)
    session.add(record)
    session.flush()
    code_rng = SeededRandom(seed, "assembly-codes")
    taken = set(session.scalars(select(Invitation.code)))
    for address, from_deprived in chosen:
        session.add(Invitation(assembly_id=assembly.id, draw_id=record.id,
                               code=new_code(taken, code_rng), address=address.address,
                               postcode=address.postcode, deprivation_quintile=address.quintile,
                               from_deprived_share=from_deprived))
    session.flush()
    audit.record(session, "assembly.invitations_drawn", actor_id=actor_id,
                 target_type="assembly_invitation_draw", target_id=record.id,
                 details={"count": count, "deprived_share": deprived_share, "seed": str(seed)})
    return record


def invitations_of(session: Session, draw_record: InvitationDraw) -> list[Invitation]:
    return list(session.scalars(select(Invitation).where(Invitation.draw_id == draw_record.id)
                                .order_by(Invitation.id)))


def draws(session: Session, assembly: Assembly) -> list[InvitationDraw]:
    return list(session.scalars(select(InvitationDraw).where(
        InvitationDraw.assembly_id == assembly.id).order_by(InvitationDraw.id)))


def mail_merge_csv(invitations: list[Invitation], register_url: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "address", "postcode", "registration_url"])
    for invitation in invitations:
        writer.writerow([format_code(invitation.code), invitation.address or "",
                         invitation.postcode or "", f"{register_url}?code={invitation.code}"])
    return out.getvalue()
