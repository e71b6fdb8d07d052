"""Rules and writes of the assembly feature. Services flush, never commit.

Personal data: contact details (``RegistrantContact``) and demographic answers
(``RegistrantDemographics``) are read only here and in the views that audit each read.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, url_for
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from citizen import selection
from citizen.assembly import targets as target_rules
from citizen.assembly.models import (
    Assembly,
    AssemblySession,
    AssemblyTarget,
    Invitation,
    Member,
    Registrant,
    RegistrantContact,
    RegistrantDemographics,
    SelectionRun,
)
from citizen.db import utcnow
from citizen.mail import render_mail, send_after_commit
from citizen.places import services as place_services
from citizen.reach import census
from citizen.shared import audit

PREFER_NOT_TO_SAY = census.PREFER_NOT_TO_SAY


class AssemblyError(Exception):
    """A rule was broken; ``code`` keys a translated message, ``field`` the form field."""

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def _engine_version() -> str:
    """A version of the selection engine: a digest of its source files."""
    digest = hashlib.sha256()
    for path in sorted(Path(selection.__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "citizen.selection@" + digest.hexdigest()[:12]


ENGINE_VERSION = _engine_version()


# ---------------------------------------------------------------- set-up


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_retention(session_dates: Sequence[date]) -> date | None:
    return add_months(max(session_dates), 3) if session_dates else None


RESERVED_SLUGS = frozenset({"manage", "reply", "your-data", "erase"})


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "assembly"
    return slug + "-assembly" if slug in RESERVED_SLUGS else slug


@dataclass
class AssemblyData:
    title: str
    question: str
    places: list[str]
    panel_size: int
    reserves: int
    session_dates: list[date]
    honorarium: str
    expenses: str
    registration_opens: date
    registration_closes: date
    open_registration: bool
    retention_until: date | None
    categories: list[str]
    prefer_not_allowed: list[str]
    method: str = "leximin"
    transparent_panels: int | None = None
    attitude_questions: list[dict[str, Any]] = field(default_factory=list)


def save_assembly(session: Session, data: AssemblyData, actor_id: int | None,
                  assembly: Assembly | None = None) -> Assembly:
    if not data.session_dates:
        raise AssemblyError("no_sessions", "session_dates")
    if data.registration_closes < data.registration_opens:
        raise AssemblyError("closes_before_opens", "registration_closes")
    if data.registration_closes > min(data.session_dates):
        raise AssemblyError("closes_after_sessions", "registration_closes")
    retention = data.retention_until or default_retention(data.session_dates)
    assert retention is not None
    if retention < max(data.session_dates):
        raise AssemblyError("retention_too_early", "retention_until")
    if assembly is None:
        slug = base = _slugify(data.title)
        n = 2
        while session.scalar(select(Assembly.id).where(Assembly.slug == slug)) is not None:
            slug = f"{base}-{n}"
            n += 1
        assembly = Assembly(slug=slug, created_by_id=actor_id)
        session.add(assembly)
        action = "assembly.created"
    else:
        action = "assembly.updated"
    assembly.title = data.title
    assembly.question = data.question
    assembly.places = list(data.places)
    assembly.panel_size = data.panel_size
    assembly.reserves = data.reserves
    assembly.honorarium = data.honorarium
    assembly.expenses = data.expenses
    assembly.registration_opens = data.registration_opens
    assembly.registration_closes = data.registration_closes
    assembly.open_registration = data.open_registration
    assembly.retention_until = retention
    assembly.attitude_questions = list(data.attitude_questions)
    assembly.categories = [c for c in data.categories if not target_rules.is_attitude(c)] + [
        q["code"] for q in data.attitude_questions]
    assembly.prefer_not_allowed = list(data.prefer_not_allowed)
    assembly.method = data.method
    assembly.transparent_panels = data.transparent_panels
    existing = {s.held_on: s for s in assembly.sessions}
    for held_on in sorted(set(data.session_dates)):
        if held_on not in existing:
            assembly.sessions.append(AssemblySession(held_on=held_on))
    for held_on, row in existing.items():
        if held_on not in data.session_dates:
            assembly.sessions.remove(row)
    session.flush()
    audit.record(session, action, actor_id=actor_id, target_type="assembly", target_id=assembly.id)
    return assembly


def assemblies(session: Session) -> list[Assembly]:
    return list(session.scalars(select(Assembly).order_by(Assembly.created_at.desc())))


def assembly_by_slug(session: Session, slug: str) -> Assembly | None:
    return session.scalar(select(Assembly).where(Assembly.slug == slug))


def registration_open(assembly: Assembly, today: date | None = None) -> bool:
    today = today or date.today()
    return (assembly.purged_at is None
            and assembly.registration_opens <= today <= assembly.registration_closes)


# ---------------------------------------------------------------- targets


def target_rows(assembly: Assembly) -> list[tuple[str, str, int, int]]:
    return [(t.category, t.value, t.min_seats, t.max_seats) for t in assembly.targets]


def save_targets(session: Session, assembly: Assembly, rows: Iterable[tuple[str, str, int, int]],
                 tolerance: int, actor_id: int | None, reason: str = "") -> list[target_rules.Problem]:
    """Replace the assembly's targets; return the feasibility problems (saved anyway, so the
    organiser loses nothing typed, but selection refuses to run while any remain)."""
    rows = list(rows)
    current = {(t.category, t.value): t for t in assembly.targets}
    seen = set()
    for category, value, low, high in rows:
        seen.add((category, value))
        row = current.get((category, value))
        if row is None:
            assembly.targets.append(AssemblyTarget(category=category, value=value,
                                                   min_seats=low, max_seats=high))
        else:
            row.min_seats, row.max_seats = low, high
    for key, row in current.items():
        if key not in seen:
            assembly.targets.remove(row)
    assembly.tolerance = tolerance
    session.flush()
    audit.record(session, "assembly.targets_saved", actor_id=actor_id, target_type="assembly",
                 target_id=assembly.id, details={"targets": [list(r) for r in rows],
                                                 "reason": reason})
    return target_rules.feasibility(rows, assembly.panel_size)


def proposed_rows(assembly: Assembly, tolerance: int) -> list[tuple[str, str, int, int]]:
    return [(p.category, p.value, p.min_seats, p.max_seats) for p in target_rules.propose(
        assembly.places, assembly.categories, assembly.panel_size, tolerance,
        assembly.attitude_questions)]


def labelled_answers(assembly: Assembly | None, answers: dict[str, str]) -> list[tuple[object, object]]:
    """Answers as (question, answer) labels, tolerant of codes no longer in the set-up."""
    attitudes = assembly.attitude_questions if assembly is not None else []
    out = []
    for category, value in answers.items():
        try:
            out.append((target_rules.category_label(category, attitudes),
                         target_rules.value_label(category, value, attitudes)))
        except (KeyError, IndexError):
            out.append((category, value))
    return out


# ---------------------------------------------------------------- registration


def household_key(address: str, postcode: str) -> str:
    """A keyed hash of the normalised address: equal for people at the same address."""
    normal = re.sub(r"[^a-z0-9]", "", (address + postcode).lower())
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"household:" + normal.encode(), hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def place_of_postcode(session: Session, postcode: str) -> str | None:
    try:
        found = place_services.place_for_district(session, postcode)
    except place_services.PostcodeError:
        return None
    return found[0].slug if found else None


@dataclass
class RegistrationData:
    code: str
    name: str
    email: str
    phone: str
    address: str
    postcode: str
    answers: dict[str, str]
    access_needs: str
    consent: bool
    locale: str = "en"


def register(session: Session, assembly: Assembly, data: RegistrationData, *,
             staff_id: int | None = None) -> Registrant:
    """Record a registration (contact and answers in separate tables) and send the
    confirmation email. ``staff_id`` marks a telephone registration taken by staff."""
    if staff_id is None and not registration_open(assembly):
        raise AssemblyError("registration_closed")
    if not data.consent:
        raise AssemblyError("consent_required", "consent")
    if not data.email and not data.phone:
        raise AssemblyError("contact_required", "email")
    try:
        place_services.postcode_district(data.postcode)
    except place_services.PostcodeError as error:
        raise AssemblyError("postcode_" + error.code, "postcode") from None
    invitation = None
    code = normalise_code(data.code)
    if code:
        invitation = session.scalar(select(Invitation).where(
            Invitation.code == code, Invitation.assembly_id == assembly.id))
        if invitation is None:
            raise AssemblyError("code_unknown", "code")
        if invitation.used_at is not None:
            raise AssemblyError("code_used", "code")
    elif not assembly.open_registration and staff_id is None:
        raise AssemblyError("code_required", "code")
    answers: dict[str, str] = {}
    for category in assembly.categories:
        if category == target_rules.PLACE:
            answers[category] = place_of_postcode(session, data.postcode) or PREFER_NOT_TO_SAY
            continue
        if category == "deprivation_quintile":
            answers[category] = deprivation_of(invitation)
            continue
        value = data.answers.get(category, "")
        allowed = set(target_rules.value_codes(category, assembly.places, assembly.attitude_questions))
        if category in assembly.prefer_not_allowed or target_rules.is_attitude(category):
            allowed.add(PREFER_NOT_TO_SAY)
        if value not in allowed:
            raise AssemblyError("answer_required", "q_" + category)
        answers[category] = value
    now = utcnow()
    registrant = Registrant(
        assembly_id=assembly.id, invitation_id=invitation.id if invitation else None,
        ref=secrets.token_urlsafe(18), household_key=household_key(data.address, data.postcode),
        by_phone=staff_id is not None, registered_by_id=staff_id, locale=data.locale,
        consent_at=now,
    )
    registrant.contact = RegistrantContact(
        name=data.name.strip(), email=data.email.strip().lower() or None,
        phone=data.phone.strip() or None, address=data.address.strip(),
        postcode=data.postcode.strip().upper(), access_needs=data.access_needs.strip())
    registrant.demographics = RegistrantDemographics(answers=answers)
    session.add(registrant)
    if invitation is not None:
        invitation.used_at = now
    session.flush()
    if staff_id is not None:
        audit.record(session, "assembly.phone_registration", actor_id=staff_id,
                     target_type="assembly_registrant", target_id=registrant.id)
    if registrant.contact.email:
        send_after_commit(render_mail(
            "assembly_registered", registrant.contact.email, data.locale, assembly=assembly,
            name=registrant.contact.name, retention_until=assembly.retention_until,
            data_url=url_for("assembly.your_data", _external=True)))
    return registrant


def deprivation_of(invitation: Invitation | None) -> str:
    """The IMD quintile known for an invitation's address, else 'not known'."""
    if invitation is not None and invitation.deprivation_quintile:
        return invitation.deprivation_quintile
    return PREFER_NOT_TO_SAY


def registrants(session: Session, assembly: Assembly) -> list[Registrant]:
    return list(session.scalars(select(Registrant).where(
        Registrant.assembly_id == assembly.id).order_by(Registrant.id)))


def pool(session: Session, assembly: Assembly) -> list[Registrant]:
    """Everyone who can be selected: registered, consented, not erased or purged."""
    return [r for r in registrants(session, assembly)
            if r.demographics is not None and r.erased_at is None and r.purged_at is None]


@dataclass(frozen=True)
class PoolRow:
    category: str
    value: str
    count: int
    min_seats: int | None
    max_seats: int | None

    @property
    def shortfall(self) -> bool:
        return self.min_seats is not None and self.count < self.min_seats


def pool_against_targets(session: Session, assembly: Assembly) -> list[PoolRow]:
    people = pool(session, assembly)
    counts: Counter[tuple[str, str]] = Counter()
    for person in people:
        assert person.demographics is not None
        for category, value in person.demographics.answers.items():
            counts[(category, value)] += 1
    rows = []
    targets = {(t.category, t.value): t for t in assembly.targets}
    for category in assembly.categories:
        values = list(target_rules.value_codes(category, assembly.places, assembly.attitude_questions))
        if any(k == (category, PREFER_NOT_TO_SAY) for k in counts):
            values.append(PREFER_NOT_TO_SAY)
        for value in values:
            t = targets.get((category, value))
            rows.append(PoolRow(category, value, counts[(category, value)],
                                t.min_seats if t else None, t.max_seats if t else None))
    return rows


# ---------------------------------------------------------------- selection


def build_problem(assembly: Assembly, people: Sequence[Registrant],
                  quotas: Sequence[tuple[str, str, int, int]]) -> selection.SelectionProblem:
    """The engine's problem: registrant ids, their answers, the targets as quotas (plus an
    open quota for 'prefer not to say' / 'not known' where anyone gave it), households."""
    quota_list = [selection.Quota(c, v, lo, hi) for c, v, lo, hi in quotas]
    keys = {(q.category, q.value) for q in quota_list}
    categories = {q.category for q in quota_list}
    persons = []
    for person in people:
        assert person.demographics is not None
        features = {c: person.demographics.answers.get(c, PREFER_NOT_TO_SAY) for c in categories}
        for category, value in features.items():
            if (category, value) not in keys:
                quota_list.append(selection.Quota(category, value, 0, assembly.panel_size))
                keys.add((category, value))
        persons.append(selection.Person.of(str(person.id), features, person.household_key))
    return selection.SelectionProblem(tuple(persons), tuple(quota_list), assembly.panel_size,
                                      use_households=True)


def selection_runs(session: Session, assembly: Assembly) -> list[SelectionRun]:
    return list(session.scalars(select(SelectionRun).where(
        SelectionRun.assembly_id == assembly.id).order_by(SelectionRun.id)))


def current_run(session: Session, assembly: Assembly) -> SelectionRun | None:
    """The latest finished (or awaiting the public number) selection run."""
    runs = [r for r in selection_runs(session, assembly)
            if r.kind == "select" and r.status in ("done", "awaiting_number")]
    return runs[-1] if runs else None


def start_selection(session: Session, assembly: Assembly, actor_id: int | None,
                    roles: Iterable[str], reason: str = "", seed: int | None = None) -> SelectionRun:
    """Record a queued run; the job starts after the request commits."""
    problems = target_rules.feasibility(target_rows(assembly), assembly.panel_size)
    if not assembly.targets:
        raise AssemblyError("no_targets")
    if problems:
        raise AssemblyError("targets_do_not_add_up")
    if assembly.purged_at is not None:
        raise AssemblyError("purged")
    earlier = current_run(session, assembly)
    if earlier is not None:
        if "admin" not in set(roles):
            raise AssemblyError("rerun_admin_only")
        if not reason.strip():
            raise AssemblyError("rerun_reason_required", "reason")
    people = pool(session, assembly)
    run = SelectionRun(
        assembly_id=assembly.id, kind="select", status="queued", method=assembly.method,
        engine_version=ENGINE_VERSION, seed=str(seed if seed is not None else secrets.randbits(62)),
        targets=[{"category": c, "value": v, "min": lo, "max": hi}
                 for c, v, lo, hi in target_rows(assembly)],
        pool=[str(p.id) for p in people], reason=reason.strip(), run_by_id=actor_id)
    session.add(run)
    session.flush()
    audit.record(session, "assembly.selection_started" if earlier is None else "assembly.selection_rerun",
                 actor_id=actor_id, target_type="assembly_selection_run", target_id=run.id,
                 details={"assembly": assembly.id, "reason": run.reason})
    _enqueue_after_commit(session, run.id)
    return run


def _enqueue_after_commit(session: Session, run_id: int) -> None:
    from citizen.assembly.jobs import run_selection_job
    from citizen.jobs import enqueue

    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def _go(_session: Session) -> None:
        handle = enqueue(run_selection_job, run_id, app=app)
        if not handle.finished:
            from citizen.db import unit_of_work

            with unit_of_work(app) as other:
                row = other.get(SelectionRun, run_id)
                if row is not None:
                    row.job_id = handle.id

    event.listen(session, "after_commit", _go, once=True)


def _quotas_of(run: SelectionRun) -> list[tuple[str, str, int, int]]:
    return [(t["category"], t["value"], int(t["min"]), int(t["max"])) for t in run.targets]


def _pool_people(session: Session, run: SelectionRun) -> list[Registrant]:
    ids = [int(i) for i in run.pool]
    people = {r.id: r for r in session.scalars(select(Registrant).where(Registrant.id.in_(ids)))}
    return [people[i] for i in ids if i in people and people[i].demographics is not None
            and people[i].erased_at is None]


def fingerprint(refs: Iterable[str]) -> str:
    """A panel's public fingerprint: SHA-256 of its sorted registrant references."""
    return hashlib.sha256("\n".join(sorted(refs)).encode()).hexdigest()[:16]


def execute_run(session: Session, run_id: int) -> SelectionRun:
    """Do the work of a queued run (in the job's unit of work). Never raises for engine
    errors: the run's status and diagnosis say what happened."""
    run = session.get(SelectionRun, run_id)
    if run is None:
        raise LookupError(run_id)
    assembly = session.get(Assembly, run.assembly_id)
    assert assembly is not None
    people = _pool_people(session, run)
    try:
        problem = build_problem(assembly, people, _quotas_of(run))
        if run.kind == "replace":
            result = _do_replace(session, assembly, run, problem)
        else:
            transparent = assembly.transparent_panels or None
            result = selection.select(
                problem, method=run.method, seed=int(run.seed), transparent=transparent,
                transparent_number=run.public_number if transparent else None,
                reserves=assembly.reserves)
    except selection.InfeasibleQuotasError as error:
        run.status = "infeasible"
        run.diagnosis = dict(error.params.get("diagnosis", {}))
        run.error = error.message
    except selection.SelectionError as error:
        run.status = "failed"
        run.error = error.message
        run.diagnosis = {"code": error.code, "params": {
            k: v for k, v in error.params.items() if isinstance(v, (int, str, float))}}
    else:
        run.probabilities = {k: round(float(v), 6) for k, v in result.probabilities.items()}
        run.fairness = {"minimum": result.fairness.minimum, "maximum": result.fairness.maximum,
                        "mean": result.fairness.mean, "gini": result.fairness.gini,
                        "geometric_mean": result.fairness.geometric_mean, "solver": result.solver}
        refs = {str(p.id): p.ref for p in people}
        if run.kind == "select" and result.transparent is not None:
            run.transparent = {
                "size": result.transparent.size,
                "max_deviation": result.transparent.max_deviation,
                "fingerprints": [fingerprint(refs[i] for i in panel)
                                 for panel in result.transparent.panels],
            }
        if run.kind == "select" and assembly.transparent_panels and run.public_number is None:
            run.status = "awaiting_number"
        else:
            run.panel = list(result.panel if run.kind == "select" else result.new_members)
            run.reserves = list(result.reserves)
            run.status = "done"
            _record_members(session, assembly, run)
    run.finished_at = utcnow()
    session.flush()
    return run


def _record_members(session: Session, assembly: Assembly, run: SelectionRun) -> None:
    if run.kind == "select":
        session.execute(delete(Member).where(Member.assembly_id == assembly.id))
        session.flush()
        for position, rid in enumerate(run.panel):
            session.add(Member(assembly_id=assembly.id, registrant_id=int(rid), run_id=run.id,
                               role="panel", position=position))
        for position, rid in enumerate(run.reserves):
            session.add(Member(assembly_id=assembly.id, registrant_id=int(rid), run_id=run.id,
                               role="reserve", position=position))
        return
    existing = {m.registrant_id: m for m in members(session, assembly)}
    for position, rid in enumerate(run.panel):
        member = existing.get(int(rid))
        if member is None:
            session.add(Member(assembly_id=assembly.id, registrant_id=int(rid), run_id=run.id,
                               role="panel", position=1000 + position))
        else:  # a reserve moves up to the panel
            member.role, member.run_id, member.response = "panel", run.id, "invited"


def enter_public_number(session: Session, assembly: Assembly, run: SelectionRun, number: int,
                        actor_id: int | None) -> SelectionRun:
    if run.status != "awaiting_number":
        raise AssemblyError("no_public_draw")
    size = int(run.transparent.get("size", 0))
    if not 1 <= number <= size:
        raise AssemblyError("number_out_of_range", "number", size=size)
    run.public_number = number
    run.status = "queued"
    session.flush()
    audit.record(session, "assembly.public_number", actor_id=actor_id,
                 target_type="assembly_selection_run", target_id=run.id, details={"number": number})
    _enqueue_after_commit(session, run.id)
    return run


def accept_relaxation(session: Session, assembly: Assembly, run: SelectionRun,
                      actor_id: int | None) -> None:
    """Apply the engine's suggested change to the targets (recorded)."""
    changes = run.diagnosis.get("changes") or []
    if run.status != "infeasible" or not changes:
        raise AssemblyError("nothing_to_accept")
    current = {(t.category, t.value): t for t in assembly.targets}
    for change in changes:
        row = current.get((change["category"], change["value"]))
        if row is None:
            assembly.targets.append(AssemblyTarget(
                category=change["category"], value=change["value"],
                min_seats=change["new_min"], max_seats=change["new_max"]))
        else:
            row.min_seats, row.max_seats = change["new_min"], change["new_max"]
    session.flush()
    audit.record(session, "assembly.relaxation_accepted", actor_id=actor_id,
                 target_type="assembly_selection_run", target_id=run.id,
                 details={"changes": changes})


# ---------------------------------------------------------------- after selection


def members(session: Session, assembly: Assembly) -> list[Member]:
    return list(session.scalars(select(Member).where(Member.assembly_id == assembly.id)
                                .order_by(Member.role, Member.position)))


def invite_members(session: Session, assembly: Assembly, actor_id: int | None) -> int:
    """Email every panel member not yet answered an invitation with confirm/decline links."""
    sent = 0
    for member in members(session, assembly):
        registrant = member.registrant
        if member.role != "panel" or member.response != "invited" or registrant.contact is None:
            continue
        if registrant.contact.email:
            send_after_commit(render_mail(
                "assembly_selected", registrant.contact.email, registrant.locale,
                assembly=assembly, name=registrant.contact.name,
                reply_url=url_for("assembly.reply", ref=registrant.ref, _external=True)))
            sent += 1
    audit.record(session, "assembly.members_invited", actor_id=actor_id, target_type="assembly",
                 target_id=assembly.id, details={"emails": sent})
    return sent


def member_for_ref(session: Session, ref: str) -> Member | None:
    registrant = session.scalar(select(Registrant).where(Registrant.ref == ref))
    if registrant is None:
        return None
    return session.scalar(select(Member).where(Member.registrant_id == registrant.id))


def respond(session: Session, member: Member, answer: str, via: str,
            actor_id: int | None = None) -> None:
    if answer not in ("confirmed", "declined", "dropped"):
        raise AssemblyError("bad_answer")
    member.response = answer
    member.response_via = via
    member.responded_at = utcnow()
    session.flush()
    audit.record(session, "assembly.member_" + answer, actor_id=actor_id,
                 target_type="assembly_member", target_id=member.id, details={"via": via})


def start_replacement(session: Session, assembly: Assembly, actor_id: int | None) -> SelectionRun:
    base = current_run(session, assembly)
    if base is None or base.status != "done":
        raise AssemblyError("no_selection")
    all_members = members(session, assembly)
    dropped = [str(m.registrant_id) for m in all_members
               if m.role == "panel" and m.response in ("declined", "dropped")]
    if not dropped:
        raise AssemblyError("nobody_dropped")
    run = SelectionRun(
        assembly_id=assembly.id, kind="replace", status="queued", method="leximin",
        engine_version=ENGINE_VERSION, seed=str(secrets.randbits(62)), targets=base.targets,
        pool=base.pool, replaces=dropped, run_by_id=actor_id,
        reason=f"replaces {len(dropped)} from run {base.id}")
    session.add(run)
    session.flush()
    audit.record(session, "assembly.replacement_started", actor_id=actor_id,
                 target_type="assembly_selection_run", target_id=run.id,
                 details={"from_run": base.id, "dropped": dropped})
    _enqueue_after_commit(session, run.id)
    return run


def _do_replace(session: Session, assembly: Assembly, run: SelectionRun,
                problem: selection.SelectionProblem) -> selection.SelectionResult:
    all_members = members(session, assembly)
    in_pool = {p.id for p in problem.people}
    gone = set(run.replaces)
    confirmed = [str(m.registrant_id) for m in all_members
                 if m.role == "panel" and str(m.registrant_id) not in gone
                 and m.response not in ("declined", "dropped") and str(m.registrant_id) in in_pool]
    excluded = [str(m.registrant_id) for m in all_members
                if m.role == "reserve" and m.response in ("declined", "dropped")]
    result = selection.replace(problem, confirmed, [g for g in gone if g in in_pool],
                               seed=int(run.seed), excluded=[e for e in excluded if e in in_pool])
    for m in all_members:
        if str(m.registrant_id) in gone:
            m.role = "replaced"
    return result


def record_attendance(session: Session, member: Member, attended: dict[int, bool],
                      actor_id: int | None) -> None:
    from citizen.assembly.models import Attendance

    rows = {a.session_id: a for a in member.attendance}
    for session_id, was_there in attended.items():
        row = rows.get(session_id)
        if row is None:
            member.attendance.append(Attendance(session_id=session_id, attended=was_there))
        else:
            row.attended = was_there
    session.flush()
    audit.record(session, "assembly.attendance", actor_id=actor_id, target_type="assembly_member",
                 target_id=member.id)


def record_access_needs(session: Session, member: Member, text: str, actor_id: int | None) -> None:
    contact = member.registrant.contact
    if contact is None:
        raise AssemblyError("purged")
    contact.access_needs = text.strip()
    session.flush()
    audit.record(session, "assembly.access_needs", actor_id=actor_id, target_type="assembly_member",
                 target_id=member.id)


def record_payment(session: Session, member: Member, honorarium_pence: int, expenses_pence: int,
                   paid_on: date | None, actor_id: int | None) -> None:
    member.honorarium_pence = honorarium_pence
    member.expenses_pence = expenses_pence
    member.paid_on = paid_on
    session.flush()
    audit.record(session, "assembly.payment", actor_id=actor_id, target_type="assembly_member",
                 target_id=member.id, details={"honorarium_pence": honorarium_pence,
                                               "expenses_pence": expenses_pence})


# ---------------------------------------------------------------- data protection


def subject_access(session: Session, email: str, locale: str) -> int:
    """Email each registration held for ``email`` to that address. Says nothing to the
    requester about whether any exist (no enumeration); returns how many were sent."""
    address = email.strip().lower()
    contacts = list(session.scalars(select(RegistrantContact).where(RegistrantContact.email == address)))
    for contact in contacts:
        registrant = contact.registrant
        assembly = session.get(Assembly, registrant.assembly_id)
        member = session.scalar(select(Member).where(Member.registrant_id == registrant.id))
        answers = registrant.demographics.answers if registrant.demographics else {}
        send_after_commit(render_mail(
            "assembly_your_data", address, locale, assembly=assembly, registrant=registrant,
            contact=contact, answers=labelled_answers(assembly, answers),
            member=member,
            erase_url=url_for("assembly.erase", ref=registrant.ref, _external=True)))
        audit.record(session, "assembly.subject_access", target_type="assembly_registrant",
                     target_id=registrant.id)
    return len(contacts)


@dataclass(frozen=True)
class HeldRegistration:
    """A registration held for one person, with its assembly and, if chosen, their seat."""

    registrant: Registrant
    assembly: Assembly
    member: Member | None


def registrations_for_address(session: Session, email: str) -> list[HeldRegistration]:
    """Every registration whose contact address is ``email`` (compared lower-case, as stored);
    erased and purged ones have no contact left and are not found. Oldest first."""
    address = email.strip().lower()
    rows = session.execute(
        select(Registrant, Assembly)
        .join(RegistrantContact, RegistrantContact.registrant_id == Registrant.id)
        .join(Assembly, Assembly.id == Registrant.assembly_id)
        .where(RegistrantContact.email == address)
        .order_by(Registrant.registered_at, Registrant.id)).all()
    members = {m.registrant_id: m for m in session.scalars(
        select(Member).where(Member.registrant_id.in_([r.id for r, _a in rows])))}
    return [HeldRegistration(registrant, assembly, members.get(registrant.id))
            for registrant, assembly in rows]


def subject_access_record(held: HeldRegistration) -> dict[str, Any]:
    """One registration for a subject access request: contact details, answers (worded in
    the language they registered in) and what happened if they were chosen."""
    from flask_babel import force_locale

    registrant, assembly, member = held.registrant, held.assembly, held.member
    contact = registrant.contact
    answers = registrant.demographics.answers if registrant.demographics else {}
    with force_locale(registrant.locale or "en"):
        labelled = [{"question": str(q), "answer": str(a)}
                    for q, a in labelled_answers(assembly, answers)]
    record: dict[str, Any] = {
        "assembly": assembly.title,
        "registered_at": registrant.registered_at,
        "registered_by_phone": registrant.by_phone,
        "language": registrant.locale,
        "consent_given_at": registrant.consent_at,
        "contact": None if contact is None else {
            "name": contact.name, "email_address": contact.email, "phone": contact.phone,
            "address": contact.address, "postcode": contact.postcode,
            "access_needs": contact.access_needs},
        "answers": labelled,
        "personal_data_deleted_after": assembly.retention_until,
        "chosen": None,
    }
    if member is not None:
        held_on = {s.id: s.held_on for s in assembly.sessions}
        record["chosen"] = {
            "as": member.role, "answer": member.response, "answered_at": member.responded_at,
            "honorarium_pence": member.honorarium_pence, "expenses_pence": member.expenses_pence,
            "paid_on": member.paid_on,
            "attendance": [{"session": held_on.get(a.session_id), "attended": a.attended}
                           for a in member.attendance]}
    return record


def erase(session: Session, registrant: Registrant, actor_id: int | None = None) -> None:
    """Erasure on request: contact details and answers go; the pseudonymous row stays so the
    selection's records remain consistent."""
    registrant.contact = None
    registrant.demographics = None
    registrant.household_key = None
    registrant.erased_at = utcnow()
    member = session.scalar(select(Member).where(Member.registrant_id == registrant.id))
    if member is not None and member.response in ("invited", "confirmed"):
        member.response = "dropped"
        member.response_via = "erasure"
    session.flush()
    audit.record(session, "assembly.erased", actor_id=actor_id, target_type="assembly_registrant",
                 target_id=registrant.id)


def aggregate_counts(session: Session, assembly: Assembly) -> dict[str, Any]:
    pool_counts: dict[str, dict[str, int]] = {}
    panel_counts: dict[str, dict[str, int]] = {}
    panel_ids = {m.registrant_id for m in members(session, assembly) if m.role == "panel"}
    for person in registrants(session, assembly):
        if person.demographics is None:
            continue
        for category, value in person.demographics.answers.items():
            pool_counts.setdefault(category, {}).setdefault(value, 0)
            pool_counts[category][value] += 1
            if person.id in panel_ids:
                panel_counts.setdefault(category, {}).setdefault(value, 0)
                panel_counts[category][value] += 1
    return {"pool": pool_counts, "panel": panel_counts, "registrations": len(registrants(session, assembly))}


def purge(session: Session, today: date | None = None) -> dict[str, int]:
    """Delete personal data the rules no longer allow us to keep. Idempotent.

    * Invitation addresses once registration has closed.
    * Contact details and answers of everyone not on the panel once the last session is over.
    * Everyone's, panel included, once the retention date has passed; the assembly keeps only
      anonymous aggregate counts (taken before anything is deleted) and the audit trail.
    """
    today = today or date.today()
    counts = {"invitations": 0, "registrants": 0, "assemblies": 0}
    for assembly in session.scalars(select(Assembly)):
        if assembly.registration_closes < today:
            for invitation in session.scalars(select(Invitation).where(
                    Invitation.assembly_id == assembly.id, Invitation.address.is_not(None))):
                invitation.address = None
                invitation.postcode = None
                counts["invitations"] += 1
        last = assembly.last_session
        everyone = assembly.retention_until < today
        non_panel = everyone or (last is not None and last < today)
        if not non_panel:
            continue
        if not assembly.aggregate_counts:
            assembly.aggregate_counts = aggregate_counts(session, assembly)
        panel_ids = {m.registrant_id for m in members(session, assembly) if m.role == "panel"}
        for person in registrants(session, assembly):
            if person.purged_at is not None:
                continue
            if person.id in panel_ids and not everyone:
                continue
            person.contact = None
            person.demographics = None
            person.household_key = None
            person.purged_at = utcnow()
            counts["registrants"] += 1
        if everyone and assembly.purged_at is None:
            assembly.purged_at = utcnow()
            counts["assemblies"] += 1
            audit.record(session, "assembly.purged", target_type="assembly", target_id=assembly.id,
                         details=dict(counts))
    session.flush()
    return counts


def retention_passed_soon(assembly: Assembly) -> bool:
    return assembly.retention_until <= date.today() + timedelta(days=14)
