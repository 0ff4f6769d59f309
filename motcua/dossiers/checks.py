"""System checks: an action without its label, notice, slips or field cleaners would fail only when an
officer or a citizen first takes it; they fail at start-up instead."""

from collections.abc import Callable

from django.core import checks

from .actions import ACTIONS, Notice
from .lifecycle import EFFECTS

# The names a notice may use (filled by notifications.texts from the event and its dossier).
NOTICE_NAMES = {"code", "name", "procedure", "agency", "address", "due", "amount", "items", "reason"}
NOTICE_NAMES |= {"method", "status", "at", "fee"}
NOTICE_NAMES |= {"method", "status", "at", "place", "hours", "paid_by", "refund_by", "reference"}
NOTICE_NAMES |= {"changes", "corrections"}


def action_problems(actions=ACTIONS, effects=EFFECTS) -> list[str]:
    """What each action lacks, in words (empty when the catalogue is whole)."""
    problems = []
    for name, action in actions.items():
        if not str(action.label).strip():
            problems.append(f"action {name!r} has no label")
        if name not in effects:
            problems.append(f"action {name!r} has no effect in lifecycle.EFFECTS")
        if not (action.notice is None or isinstance(action.notice, Notice)):
            problems.append(f"action {name!r}: notice must be a Notice or None")
        elif action.notice is not None:
            for notice in action.notice.every():
                problems += _notice_problems(name, notice)
        elif action.citizen_visible and name not in ("claim",):
            problems.append(f"action {name!r} is shown to the citizen but has no notice")
        if not isinstance(action.slips, tuple) or not all(isinstance(s, str) and s for s in action.slips):
            problems.append(f"action {name!r}: slips must be a tuple of document kinds")
        for spec in action.fields:
            if not isinstance(spec.clean, Callable):
                problems.append(f"action {name!r}: field {spec.name!r} has no cleaner")
    return problems


def _notice_problems(name: str, notice: Notice) -> list[str]:
    problems = []
    if not notice.kind or not notice.long:
        problems.append(f"action {name!r}: its notice needs a kind and a long text")
    for pattern in (notice.sms, notice.long, notice.sms_undated):
        if pattern is None:
            continue
        try:
            str(pattern) % dict.fromkeys(NOTICE_NAMES, "x")
        except (KeyError, ValueError, TypeError) as error:
            problems.append(f"action {name!r}: notice pattern {str(pattern)[:40]!r} is broken ({error})")
    if notice.elastic is not None and notice.elastic not in NOTICE_NAMES:
        problems.append(f"action {name!r}: elastic {notice.elastic!r} is not a notice name")
    if notice.online is not None:
        problems += _notice_problems(name, notice.online)
    return problems


@checks.register()
def check_actions(app_configs, **kwargs):
    return [checks.Error(problem, id="dossiers.E001") for problem in action_problems()]
