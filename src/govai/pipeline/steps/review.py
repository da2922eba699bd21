"""review: apply the service's human-review rules and framing notices.

Runs even after a stop (so a crisis route can still raise a safeguarding flag).
A ``hold`` rule withholds the answer, queues it for the named reviewer and tells
the user a person will check it; a ``flag`` rule delivers it and marks it.
Answers delivered carry the service's notices (e.g. "not legal advice").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.pipeline.steps.route import canned
from govai.policy.review import detectors, enqueue, matches

if TYPE_CHECKING:
    from govai.runtime import Runtime

HELD = (
    "A member of staff needs to check this answer before you get it. "
    "You will hear back once {reviewer} has reviewed it."
)


class Review:
    name = "review"
    always_runs = True

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.profile = runtime.profile
        for rule in self.profile.review:
            for d in rule.detect:
                detectors.get(d)  # unknown detector names fail at start-up

    def __call__(self, ctx: Context) -> None:
        matched = [rule for rule in self.profile.review if matches(rule, ctx)]
        notify = sorted({r.notify for r in matched if r.notify})
        for rule in matched:
            if rule.add_flag and rule.add_flag not in ctx.flags:
                ctx.flags.append(rule.add_flag)
            if rule.action == "flag" and "review_requested" not in ctx.flags:
                ctx.flags.append("review_requested")
        hold = next((r for r in matched if r.action == "hold" and ctx.answer), None)
        detail: dict[str, Any] = {"matched": [r.name for r in matched], "notify": notify, "held": False}
        if notify:
            ctx.state["notify"] = notify
        if hold is not None:
            queue_id = enqueue(self.runtime.db.conn, ctx, hold, self.profile.retention.conversation_days)
            reviewer = hold.reviewer or "a reviewer"
            ctx.stop(
                Outcome.REFUSED,
                canned(self.profile, "review_hold", HELD, reviewer=reviewer),
                f"held for human review under rule {hold.name!r} (reviewer: {reviewer}, queue id {queue_id})",
            )
            ctx.flags.append("held_for_review")
            detail |= {"held": True, "rule": hold.name, "reviewer": reviewer, "queue_id": queue_id}
        elif ctx.outcome is Outcome.ANSWERED and ctx.answer and self.profile.notices:
            ctx.answer = "\n\n".join([ctx.answer, *self.profile.notices])
            detail["notices"] = len(self.profile.notices)
        if self.profile.responsible is not None:
            detail["responsible"] = self.profile.responsible.name
        ctx.record(self.name, **detail)


@steps.register("review")
def build(runtime: Runtime, options: dict[str, Any]) -> Review:
    return Review(runtime)
