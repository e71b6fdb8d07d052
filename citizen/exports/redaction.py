"""Which free text an export may carry, and in what form.

Healthwatch passes responses to commissioners for analysis, so every free-text answer is
exported — not only those the author agreed to publish — but never with personal details in it:

* an answer a moderator **approved** (with or without redactions) is exported as published;
* any other answer (waiting for review, rejected for publication, hidden after reports, or
  never put in the queue because its author did not agree to publication) is exported with every
  piece of personal data the detector finds replaced by a marker such as
  "[phone number removed]";
* the automatic detector runs over approved text too, so nothing it recognises ever leaves;
* an answer escalated for **safeguarding** is withheld: it may identify a person at risk and
  is handled outside exports.

The long layout carries a ``text_check`` column saying which of these applied.

The moderation feature publishes ``public_text``/``public_texts`` for public text only; an
export also needs the state and moderator's redactions of texts that are not public, so this
module reads ``moderation_item`` read-only, in batches (see the README's note on exports).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

WITHHELD = "[withheld: under safeguarding review]"
CHECK_REVIEWED = "reviewed"
CHECK_AUTOMATIC = "automatic"
CHECK_WITHHELD = "withheld"
BATCH = 900
MEMO_SIZE = 5_000
MEMO_MAX_LENGTH = 200


@dataclass(frozen=True)
class ExportText:
    text: str
    check: str


@cache
def _english_markers() -> dict[str, str]:
    """Markers in English (exports go to commissioners), computed once per process."""
    from flask_babel import force_locale

    from citizen.moderation import pii

    with force_locale("en"):
        return {kind: str(pii.marker(kind)) for kind in (*pii.KINDS, "other")}


def _marker_maker() -> Callable[[str], str]:
    markers = _english_markers()
    return lambda kind: markers.get(kind, markers["other"])


class Redactor:
    """Automatic redaction with the moderation feature's detector."""

    def __init__(self) -> None:
        from citizen.moderation import pii

        self._pii = pii
        self._marker = _marker_maker()
        # Short answers repeat ("No", "Nothing to add"): detect each distinct text once.
        self._seen: dict[str, str] = {}

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        found = self._seen.get(text)
        if found is not None:
            return found
        findings = self._pii.detect(text)
        result = str(self._pii.redact(text, findings, self._marker)) if findings else text
        if len(text) <= MEMO_MAX_LENGTH and len(self._seen) < MEMO_SIZE:
            self._seen[text] = result
        return result


def moderated_texts(session: Session, kind: str, originals: dict[int, str | None],
                    redactor: Redactor) -> dict[int, ExportText]:
    """The export form of each text in ``originals`` (target id -> the text as written)."""
    from citizen.moderation.models import ItemState, ModerationItem

    result: dict[int, ExportText] = {}
    ids = list(originals)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        items = {
            target_id: (state, original, redacted)
            for target_id, state, original, redacted in session.execute(
                select(ModerationItem.target_id, ModerationItem.state,
                       ModerationItem.original_text, ModerationItem.redacted_text)
                .where(ModerationItem.kind == kind, ModerationItem.target_id.in_(chunk))
            )
        }
        for target_id in chunk:
            found = items.get(target_id)
            if found is None:
                result[target_id] = ExportText(redactor(originals[target_id]), CHECK_AUTOMATIC)
                continue
            state, original, redacted = found
            if state == ItemState.ESCALATED:
                result[target_id] = ExportText(WITHHELD, CHECK_WITHHELD)
                continue
            working = redacted if redacted is not None else original
            check = CHECK_REVIEWED if state == ItemState.APPROVED else CHECK_AUTOMATIC
            result[target_id] = ExportText(redactor(working), check)
    return result


def redact_all(texts: Iterable[str | None], redactor: Redactor) -> list[str]:
    return [redactor(t) for t in texts]
