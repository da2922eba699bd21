"""review: apply the service's human-review rules and framing notices.

Runs even after a stop (so a crisis route can still raise a safeguarding flag).
A ``hold`` rule withholds the answer, queues it for the named reviewer and tells
the user a person will check it; a ``flag`` rule delivers it and marks it.
Answers delivered carry the service's notices (e.g. "not legal advice").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import psycopg

from govai.domain import Outcome, PersonalData
from govai.errors import ConfigError
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps
from govai.policy.review import Exchange, detectors, enqueue, matches
from govai.profiles.model import ReviewRule

if TYPE_CHECKING:
    from govai.runtime import Services


def exchange_of(ctx: Context) -> Exchange:
    return Exchange(question=ctx.text, answer=ctx.answer, outcome=ctx.outcome, flags=frozenset(ctx.flags),
                    scope=ctx.scope, classification=ctx.classification, composer=ctx.usage.provider)


class Review:
    name = "review"
    always_runs = True

    def __init__(self, rules: list[ReviewRule], notices: list[str], replies: Replies,
                 queue: Callable[[], psycopg.Connection], keep_days: int, responsible: str | None = None) -> None:
        for rule in rules:
            for d in rule.detect:
                detectors.get(d)  # unknown detector names fail at start-up
        self.rules = rules
        self.notices = notices
        self.replies = replies
        self.queue = queue
        self.keep_days = keep_days
        self.responsible = responsible

    def __call__(self, ctx: Context) -> None:
        exchange = exchange_of(ctx)
        matched = [rule for rule in self.rules if matches(rule, exchange)]
        notify = sorted({r.notify for r in matched if r.notify})
        for rule in matched:
            if rule.add_flag:
                ctx.flag(rule.add_flag)
            if rule.action == "flag":
                ctx.flag("review_requested")
        hold = next((r for r in matched if r.action == "hold" and ctx.answer), None)
        detail: dict[str, Any] = {"matched": [r.name for r in matched], "notify": notify, "held": False}
        ctx.notify = notify
        if hold is not None:
            # The reviewer sees the pseudonymised question and the answer as composed (placeholders).
            draft = ctx.draft if ctx.personal_data is PersonalData.FOUND and ctx.draft else ctx.answer
            queue_id = enqueue(self.queue(), request_id=ctx.request_id, service=ctx.service, rule=hold,
                               answer=draft or "", citations=ctx.citations, keep_days=self.keep_days,
                               tenant_id=ctx.tenant, conversation_id=ctx.conversation_id, question=ctx.text)
            reviewer = hold.reviewer or "a reviewer"
            ctx.stop(
                Outcome.REFUSED,
                self.replies("review_hold", reviewer=reviewer),
                f"held for human review under rule {hold.name!r} (reviewer: {reviewer}, queue id {queue_id})",
            )
            ctx.flag("held_for_review")
            detail |= {"held": True, "rule": hold.name, "reviewer": reviewer, "queue_id": queue_id}
        else:
            notices = list(self.notices) if ctx.outcome is Outcome.ANSWERED and ctx.answer else []
            if "incomplete_kb" in ctx.flags and ctx.outcome in (Outcome.ANSWERED, Outcome.ABSTAINED) and ctx.answer:
                notices.append(self.replies("incomplete_kb"))
            if notices:
                ctx.notices = notices
                ctx.answer = "\n\n".join([ctx.answer or "", *notices])
                detail["notices"] = len(notices)
        if self.responsible is not None:
            detail["responsible"] = self.responsible
        ctx.record(self.name, **detail)


@steps.register("review")
def build(services: Services, options: dict[str, Any]) -> Review:
    if options:
        raise ConfigError(f"review: takes no options (got {', '.join(sorted(options))}); "
                          "rules and notices are the profile's 'review' and 'notices'")
    profile = services.profile
    return Review(profile.review, profile.notices, services.replies, lambda: services.db.conn,
                  profile.retention.conversation_days, profile.responsible.name if profile.responsible else None)
