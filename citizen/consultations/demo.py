"""Demo data for the consultations feature (never loaded in production).

One open consultation that uses every kind of question (with Arabic wording too), and one
closed consultation with its "we asked, you said, we did" outcome published.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.consultations.models import (
    Consultation,
    ConsultationPlace,
    ConsultationTranslation,
    Question,
    Section,
    Status,
)
from citizen.db import utcnow

OPEN_SLUG = "gp-appointments-demo"
CLOSED_SLUG = "urgent-care-nuneaton-demo"


def _opts(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"code": f"o{i}", "label": {"en": en, "ar": ar}} for i, (en, ar) in enumerate(pairs, start=1)]


def _q(code: str, kind: str, en: str, ar: str, *, required: bool = False,
       options: list[dict[str, Any]] | None = None, settings: dict[str, Any] | None = None,
       condition: dict[str, Any] | None = None,
       help_en: str = "", help_ar: str = "") -> Question:
    return Question(code=code, kind=kind, text={"en": en, "ar": ar}, required=required,
                    help={"en": help_en, "ar": help_ar} if help_en else {}, options=options or [],
                    settings=settings or {}, condition=condition)


def _open_consultation() -> Consultation:
    now = utcnow()
    c = Consultation(slug=OPEN_SLUG, topic="gp_and_community", status=Status.SCHEDULED,
                     opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=60),
                     anonymous_allowed=True, post_moderated=False, equality_monitoring=True,
                     contact="engagement@example.nhs.uk (demo)")
    c.translations = [
        ConsultationTranslation(
            locale="en", title="Booking a GP appointment (demo)",
            summary="Tell us how easy it is to see your GP, and what would make it better.",
            body="<p>We want to make it easier to get the right appointment at your GP practice. "
                 "Your answers help us plan.</p>",
            privacy_notice="<p>We keep your answers for two years. We never publish your name.</p>",
            outcome=""),
        ConsultationTranslation(
            locale="ar", title="حجز موعد مع الطبيب العام (تجريبي)",
            summary="أخبرنا عن سهولة رؤية طبيبك العام، وما الذي يجعلها أفضل.",
            body="<p>نريد أن نجعل الحصول على الموعد المناسب في عيادتك أسهل. إجاباتك تساعدنا في التخطيط.</p>",
            privacy_notice="<p>نحتفظ بإجاباتك لمدة عامين. لا ننشر اسمك أبدًا.</p>", outcome=""),
    ]
    c.places = [ConsultationPlace(place_slug=s) for s in ("coventry", "rugby")]
    page1 = Section(position=1, title={"en": "Your GP practice", "ar": "عيادتك"}, intro={})
    page1.pending = [  # type: ignore[attr-defined]
        _q("Q1", "single_choice", "How did you last book an appointment?", "كيف حجزت آخر موعد؟",
           required=True, options=_opts(("By phone", "بالهاتف"), ("Online", "عبر الإنترنت"),
                                        ("In person", "شخصيًا"))),
        _q("Q2", "multiple_choice", "What made booking hard?", "ما الذي جعل الحجز صعبًا؟",
           options=_opts(("Waiting on the phone", "الانتظار على الهاتف"),
                         ("No appointments left", "لا توجد مواعيد متبقية"),
                         ("Language", "اللغة")),
           settings={"other": True, "max_selected": 3}, help_en="Choose all that apply.",
           help_ar="اختر كل ما ينطبق."),
        _q("Q3", "dropdown", "Which practice do you use?", "ما العيادة التي تستخدمها؟",
           options=_opts(("City centre", "وسط المدينة"), ("North", "الشمال"), ("South", "الجنوب"))),
        _q("Q4", "short_text", "What language would you like to use with your GP?",
           "ما اللغة التي تود استخدامها مع طبيبك؟"),
    ]
    page2 = Section(position=2, title={"en": "What you think", "ar": "رأيك"}, intro={})
    page2.pending = [  # type: ignore[attr-defined]
        _q("Q5", "agreement", "It is easy to get an appointment when I need one.",
           "من السهل الحصول على موعد عندما أحتاجه.", required=True),
        _q("Q6", "rating", "How would you rate your last appointment?", "كيف تقيّم آخر موعد لك؟"),
        _q("Q7", "number", "How many times did you see a GP in the last year?",
           "كم مرة رأيت طبيبًا عامًا في العام الماضي؟", settings={"minimum": 0, "maximum": 100}),
        _q("Q8", "date", "When was your last appointment?", "متى كان آخر موعد لك؟"),
        _q("Q9", "ranking", "Put these in order of importance to you", "رتب هذه حسب أهميتها لك",
           options=_opts(("Seeing the same doctor", "رؤية نفس الطبيب"),
                         ("Getting seen quickly", "الحصول على موعد بسرعة"),
                         ("Appointments near home", "مواعيد قريبة من المنزل"))),
        _q("Q10", "matrix", "How much do you agree?", "إلى أي مدى توافق؟",
           settings={"statements": [
               {"code": "s1", "label": {"en": "Reception staff are helpful",
                                        "ar": "موظفو الاستقبال متعاونون"}},
               {"code": "s2", "label": {"en": "I can get through on the phone",
                                        "ar": "أستطيع الاتصال بالهاتف"}}]}),
    ]
    page3 = Section(position=3, title={"en": "Phone booking", "ar": "الحجز بالهاتف"}, intro={},
                    condition={"question": "Q1", "op": "equals", "value": "o1"})
    page3.pending = [  # type: ignore[attr-defined]
        _q("Q11", "long_text", "What would make phone booking better?",
           "ما الذي يجعل الحجز بالهاتف أفضل؟", settings={"max_length": 1000}),
    ]
    c.sections = [page1, page2, page3]
    return c


def _closed_consultation() -> Consultation:
    now = utcnow()
    c = Consultation(slug=CLOSED_SLUG, topic="hospitals", status=Status.OUTCOME_PUBLISHED,
                     opens_at=now - timedelta(days=120), closes_at=now - timedelta(days=30),
                     outcome_published_at=now - timedelta(days=5), anonymous_allowed=True,
                     equality_monitoring=True)
    c.translations = [ConsultationTranslation(
        locale="en", title="Urgent care in Nuneaton (demo)",
        summary="Where should people go when they need care urgently but it is not an emergency?",
        body="<p>We asked about the urgent treatment centre at George Eliot Hospital.</p>",
        privacy_notice="",
        outcome="<p><strong>We asked</strong> where you go for urgent care. <strong>You said</strong> "
                "the opening hours were hard to find. <strong>We did</strong>: the hours are now on "
                "every GP practice website and in five languages.</p>")]
    c.places = [ConsultationPlace(place_slug="warwickshire-north")]
    page = Section(position=1, title={"en": "Urgent care"}, intro={})
    page.pending = [  # type: ignore[attr-defined]
        _q("Q1", "single_choice", "Where did you last go for urgent care?", "",
           options=_opts(("Urgent treatment centre", ""), ("A&E", ""), ("My GP", ""))),
        _q("Q2", "long_text", "What could be better?", "", settings={"max_length": 2000}),
    ]
    c.sections = [page]
    return c


def seed(session: Session) -> list[str]:
    """Add demo data if missing (idempotent); flush only. Returns lines of summary."""
    lines = []
    for slug, build in ((OPEN_SLUG, _open_consultation), (CLOSED_SLUG, _closed_consultation)):
        if session.scalar(select(Consultation.id).where(Consultation.slug == slug)) is not None:
            continue
        consultation = build()
        session.add(consultation)
        session.flush()
        for section in consultation.sections:
            for position, question in enumerate(section.pending, start=1):  # type: ignore[attr-defined]
                question.consultation_id = consultation.id
                question.position = position
                section.questions.append(question)
        session.flush()
        lines.append(f"Demo consultation: /consultations/{slug}")
    return lines
