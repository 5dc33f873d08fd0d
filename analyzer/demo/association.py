"""authorAssociation for every PR, review and comment, from membership and merge history at that time."""

from __future__ import annotations

import bisect
from datetime import datetime

from analyzer.demo.people import Person
from analyzer.fakegithub.model import AuthorAssociation, OrgModel


class AssociationIndex:
    """Answers "what was ``login`` to ``repo`` at ``moment``?" the way GitHub labels it."""

    def __init__(self, model: OrgModel, people: dict[str, Person]) -> None:
        self._people = people
        self._merged: dict[tuple[str, str], list[datetime]] = {}
        self._opened: dict[tuple[str, str], list[datetime]] = {}
        for pr in model.pulls.values():
            if pr.author is None:
                continue
            self._opened.setdefault((pr.author, pr.repo), []).append(pr.created_at)
            if pr.merged_at is not None:
                self._merged.setdefault((pr.author, pr.repo), []).append(pr.merged_at)
        for times in (*self._merged.values(), *self._opened.values()):
            times.sort()

    def _before(self, table: dict[tuple[str, str], list[datetime]], key: tuple[str, str], moment: datetime) -> bool:
        times = table.get(key, [])
        return bisect.bisect_right(times, moment) > 0

    def of(self, login: str | None, repo: str, moment: datetime) -> AuthorAssociation:
        person = self._people.get(login or "")
        if person is None or person.role == "bot":
            return "NONE"
        if person.member_at(moment):
            return "MEMBER"
        if self._before(self._merged, (person.login, repo), moment):
            return "CONTRIBUTOR"
        if self._before(self._opened, (person.login, repo), moment):
            return "FIRST_TIME_CONTRIBUTOR"
        return "NONE"


def assign_associations(model: OrgModel, people: dict[str, Person]) -> None:
    index = AssociationIndex(model, people)
    for pr in model.pulls.values():
        pr.author_association = index.of(pr.author, pr.repo, pr.created_at)
    for review in model.reviews.values():
        review.author_association = index.of(review.author, review.repo, review.submitted_at)
    for comment in model.review_comments.values():
        comment.author_association = index.of(comment.author, comment.repo, comment.created_at)
    for issue_comment in model.issue_comments.values():
        issue_comment.author_association = index.of(issue_comment.author, issue_comment.repo, issue_comment.created_at)
