"""Moves every timestamp of a model by a fixed delta (used when a caller picks its own "now")."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from analyzer.fakegithub.model import OrgModel


def _shift_object(obj: Any, delta: timedelta) -> None:
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, datetime):
            setattr(obj, f.name, value + delta)


def shift_model(model: OrgModel, delta: timedelta) -> None:
    _shift_object(model, delta)
    groups: list[Any] = [
        model.users.values(),
        model.repos.values(),
        model.pulls.values(),
        model.reviews.values(),
        model.review_threads.values(),
        model.review_comments.values(),
        model.issue_comments.values(),
        model.draft_events.values(),
        model.commits.values(),
        model.workflows.values(),
        model.workflow_runs.values(),
    ]
    for group in groups:
        for obj in group:
            _shift_object(obj, delta)
