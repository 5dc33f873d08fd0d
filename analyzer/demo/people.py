"""The demo cast: about forty people with join/leave dates, review styles and ground-truth traits.

Each human gets a ``ReviewStyle``: how often they rubber-stamp, how many inline comments they leave and
which tones their comments take. The trait holders have styles extreme enough that a reasonable scorer
recovers them, while still writing some ordinary comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from analyzer.demo.clock import DEMO_START, day

Tone = Literal[
    "kind",
    "neutral",
    "terse",
    "nit",
    "harsh",
    "praise",
    "question",
    "suggestion",
    "conventional",
    "foreign",
    "emoji",
]
Role = Literal["member", "outside", "bot", "service", "ghost"]
TraitName = Literal["mentor", "harsh_reviewer", "rubber_stamper", "docs_champion", "ci_improver", "newcomer"]
# ground truth of the multiplier effect (analyzer.demo.causal): improvers' reviewees need fewer review rounds
# later, worseners' need more; the busy reviewer and the one who is only given the strongest authors have none
UpliftTrait = Literal["uplift_improver", "uplift_worsener", "uplift_busy_null", "uplift_confounded"]


@dataclass(frozen=True)
class ReviewStyle:
    """How one person reviews: probabilities and the weights of the tones of their comments."""

    stamp_large: float = 0.08  # chance of a bare, fast approval on a large PR
    stamp_small: float = 0.35  # ... on a small PR (fine: an LGTM is the right review there)
    comments_mean: float = 2.2  # mean inline comments in a substantive review
    changes_requested: float = 0.25
    tones: tuple[tuple[Tone, float], ...] = (
        ("neutral", 4),
        ("kind", 2),
        ("nit", 2),
        ("question", 2),
        ("suggestion", 1),
        ("conventional", 1),
        ("praise", 1),
        ("terse", 1),
        ("emoji", 0.3),
        ("harsh", 0.08),
    )
    rationale: float = 0.3  # chance a comment explains why
    doc_link: float = 0.05


@dataclass
class Person:
    login: str
    name: str
    role: Role
    joined: datetime
    left: datetime | None = None
    member_from: datetime | None = None  # None: never an org member
    trait: TraitName | None = None
    note: str = ""
    style: ReviewStyle = field(default_factory=ReviewStyle)
    lang: str | None = None  # non-English language the person sometimes writes in
    pr_weight: float = 1.0
    review_weight: float = 1.0
    home_repos: tuple[str, ...] = ()
    user_type: Literal["User", "Bot"] = "User"
    via_app: str | None = None
    skill: float = 1.0  # the author's review-rounds factor (< 1: a strong author, > 1: needs more rounds)
    uplift: float = 0.0  # true change in reviewees' review rounds in the 3 months after a review (-0.2: 20 % fewer)
    uplift_trait: UpliftTrait | None = None
    strong_authors_only: bool = False  # reviews only strong authors (skill < 1): the confounded reviewer

    def active(self, moment: datetime) -> bool:
        return self.joined <= moment and (self.left is None or moment < self.left)

    def member_at(self, moment: datetime) -> bool:
        return self.member_from is not None and self.member_from <= moment and self.active(moment)

    @property
    def email(self) -> str:
        if self.role in ("bot", "service"):
            return f"{self.login.replace('[bot]', '')}@users.noreply.github.com"
        return f"{self.login.replace('-', '.')}@example.dev"


REPOS: tuple[str, ...] = (
    "api-gateway",
    "billing-service",
    "web-dashboard",
    "data-pipeline",
    "auth-lib",
    "mobile-sync",
    "infra-live",
    "docs-portal",
)

MENTOR_STYLE = ReviewStyle(
    stamp_large=0.0,
    stamp_small=0.05,
    comments_mean=4.0,
    changes_requested=0.15,
    tones=(
        ("kind", 6),
        ("suggestion", 3),
        ("question", 1.5),
        ("praise", 2.5),
        ("conventional", 2),
        ("neutral", 1),
        ("nit", 0.5),
    ),
    rationale=0.8,
    doc_link=0.35,
)
HARSH_STYLE = ReviewStyle(
    stamp_large=0.0,
    stamp_small=0.1,
    comments_mean=3.0,
    changes_requested=0.7,
    tones=(("harsh", 6), ("terse", 2), ("neutral", 1.5), ("nit", 1), ("question", 0.5), ("emoji", 0.3)),
    rationale=0.05,
    doc_link=0.0,
)
STAMPER_STYLE = ReviewStyle(
    stamp_large=0.97,
    stamp_small=0.97,
    comments_mean=0.0,
    changes_requested=0.0,
    tones=(("terse", 1),),
    rationale=0.0,
    doc_link=0.0,
)
THOROUGH_STYLE = ReviewStyle(
    stamp_large=0.02,
    stamp_small=0.15,
    comments_mean=3.5,
    changes_requested=0.3,
    tones=(
        ("neutral", 4),
        ("question", 2),
        ("suggestion", 2),
        ("nit", 2),
        ("conventional", 2),
        ("kind", 1),
        ("praise", 0.5),
        ("harsh", 0.05),
    ),
    rationale=0.45,
    doc_link=0.08,
)
TERSE_STYLE = ReviewStyle(
    stamp_large=0.15,
    stamp_small=0.5,
    comments_mean=1.5,
    changes_requested=0.3,
    tones=(("terse", 4), ("neutral", 2), ("nit", 2), ("question", 1), ("harsh", 0.25), ("emoji", 0.5)),
    rationale=0.1,
    doc_link=0.0,
)
FOREIGN_STYLE = ReviewStyle(
    tones=(
        ("neutral", 3),
        ("foreign", 2.5),
        ("kind", 1.5),
        ("nit", 1),
        ("question", 1),
        ("praise", 1),
        ("emoji", 0.5),
        ("harsh", 0.05),
    ),
)
NEWCOMER_STYLE = ReviewStyle(
    stamp_large=0.1,
    stamp_small=0.5,
    comments_mean=1.0,
    changes_requested=0.05,
    tones=(("question", 3), ("kind", 2), ("praise", 2), ("neutral", 1), ("emoji", 1)),
    rationale=0.1,
)


def _d(offset: float) -> datetime:
    return day(offset)


def _member(login: str, name: str, repos: tuple[int, ...], **kw: object) -> Person:
    joined = kw.pop("joined", DEMO_START)
    assert isinstance(joined, datetime)
    person = Person(
        login=login,
        name=name,
        role="member",
        joined=joined,
        member_from=joined,
        home_repos=tuple(REPOS[i] for i in repos),
    )
    for key, value in kw.items():
        setattr(person, key, value)
    return person


def _newcomer(login: str, name: str, join_day: float, repos: tuple[int, ...], **kw: object) -> Person:
    person = Person(
        login=login,
        name=name,
        role="outside",
        joined=_d(join_day),
        trait="newcomer",
        note=f"first contribution on day {join_day:.0f} of the window",
        style=NEWCOMER_STYLE,
        pr_weight=0.9,
        review_weight=0.15,
        home_repos=tuple(REPOS[i] for i in repos),
        skill=1.3,
    )
    for key, value in kw.items():
        setattr(person, key, value)
    return person


def build_roster() -> list[Person]:
    """Everyone in the demo org, in a fixed order (humans, ghosts, then bots and service accounts)."""
    # fmt: off
    people = [
        _member("mlindqvist", "Maja Lindqvist", (0, 1, 4), trait="mentor", style=MENTOR_STYLE,
                review_weight=3.2, pr_weight=0.7, uplift=-0.2, uplift_trait="uplift_improver",
                note="kind, thorough reviews with rationale, doc links and suggestions; most newcomer reach"),
        _member("dkrause", "Dieter Krause", (1, 3, 6), trait="harsh_reviewer", style=HARSH_STYLE,
                review_weight=2.0, pr_weight=0.8, lang="de",
                note="person-targeted, dismissive and sarcastic comments; highest harsh rate"),
        _member("tbaptiste", "Thomas Baptiste", (0, 2, 5), trait="rubber_stamper", style=STAMPER_STYLE,
                review_weight=2.6, pr_weight=0.9, uplift_trait="uplift_busy_null",
                note="approves large PRs minutes after the last push with an empty body or LGTM"),
        _member("aokafor", "Adaeze Okafor", (7, 0, 2), trait="docs_champion", review_weight=1.0,
                pr_weight=1.3, note="most docs PRs and commits, onboarding guides, docs shipped with code"),
        _member("rnakamura", "Ren Nakamura", (0, 1, 3), trait="ci_improver", style=FOREIGN_STYLE,
                lang="ja", review_weight=1.0,
                note="CI caching and parallelism changes, each followed by clearly faster runs"),
        _member("jfernandez", "Julia Fernández", (2, 5), style=FOREIGN_STYLE, lang="es"),
        _member("psouza", "Paulo Souza", (3, 6), style=FOREIGN_STYLE, lang="pt"),
        _member("kweber", "Katrin Weber", (1, 4), style=THOROUGH_STYLE, lang="de", review_weight=1.4,
                uplift=-0.2, uplift_trait="uplift_improver"),
        _member("hsato", "Hana Sato", (2, 7), style=FOREIGN_STYLE, lang="ja"),
        _member("lchen", "Li Chen", (0, 3), style=THOROUGH_STYLE, review_weight=1.6, pr_weight=1.2, skill=0.6),
        _member("omar-haddad", "Omar Haddad", (1, 6), skill=0.6),
        _member("ebrown", "Emily Brown", (2, 5), style=THOROUGH_STYLE, skill=0.6),
        _member("vpetrov", "Viktor Petrov", (3, 0), style=TERSE_STYLE, pr_weight=1.2, uplift=0.2,
                uplift_trait="uplift_worsener"),
        _member("sgupta", "Sanjay Gupta", (4, 0), skill=0.6),
        _member("amartin", "Alice Martin", (5, 2), skill=0.6),
        _member("bkowalski", "Bartosz Kowalski", (6, 3), style=TERSE_STYLE),
        _member("cdubois", "Camille Dubois", (7, 2), skill=0.6),
        _member("mrossi", "Marco Rossi", (1, 3), style=TERSE_STYLE),
        _member("eyilmaz", "Elif Yılmaz", (4, 5), skill=0.6),
        _member("jkim", "Jisoo Kim", (2, 0), style=THOROUGH_STYLE, review_weight=2.0, strong_authors_only=True,
                uplift_trait="uplift_confounded"),
        _member("x-onerror-x", '"><svg onload=alert(1)>', (0, 2), pr_weight=0.6, review_weight=0.6),
        _member("gmueller", "Greta Müller", (1, 7), lang="de", style=FOREIGN_STYLE, left=_d(270)),
        _member("tnguyen", "Tuan Nguyen", (3, 6), left=_d(365)),
        _member("hpark", "Hyun-woo Park", (0, 4), skill=0.6),
        _member("rsingh", "Ravi Singh", (6, 1), style=TERSE_STYLE, skill=0.6),
        _member("mjansen", "Mieke Jansen", (5, 7), skill=0.6),
        _member("lwalker", "Liam Walker", (2, 4), joined=_d(95), trait="newcomer",
                note="new hire on day 95", style=NEWCOMER_STYLE, review_weight=0.5, skill=1.3),
        _member("wzhang", "Wei Zhang", (3, 1), joined=_d(300), trait="newcomer",
                note="new hire on day 300", style=NEWCOMER_STYLE, review_weight=0.5, skill=1.3),
        _newcomer("priya-dev", "Priya Raman", 40, (0, 4)),
        _newcomer("mateo-r", "Mateo Ruiz", 120, (2, 5), lang="es"),
        _newcomer("fatima-z", "Fatima Zahra", 180, (1, 3)),
        _newcomer("kofi-mensah", "Kofi Mensah", 215, (7, 0)),
        _newcomer("ana-lima", "Ana Lima", 260, (3, 6), lang="pt"),
        _newcomer("felix-hoffmann", "Felix Hoffmann", 330, (1, 4), lang="de"),
        _newcomer("yuki-ito", "Yuki Ito", 390, (2, 7), lang="ja"),
        _newcomer("noah-becker", "Noah Becker", 85, (1, 6), left=_d(175)),
        _newcomer("irene-costa", "Irene Costa", 450, (5, 2)),
        Person("zoe-clark", "Zoe Clark", "outside", DEMO_START, pr_weight=0.4, review_weight=0.2,
               home_repos=(REPOS[4],)),
        Person("dsmith-oss", "Dan Smith", "outside", _d(60), pr_weight=0.25, review_weight=0.1,
               home_repos=(REPOS[7], REPOS[2])),
        Person("former-contractor", "Former Contractor", "ghost", DEMO_START, left=_d(200),
               member_from=DEMO_START, pr_weight=0.8, home_repos=(REPOS[1], REPOS[3])),
        Person("old-ops-account", "Ops (old)", "ghost", DEMO_START, left=_d(320), member_from=DEMO_START,
               pr_weight=0.5, home_repos=(REPOS[6],)),
        Person("dependabot[bot]", "dependabot[bot]", "bot", DEMO_START, user_type="Bot",
               via_app="dependabot", pr_weight=0.0, review_weight=0.0),
        Person("github-actions[bot]", "github-actions[bot]", "bot", DEMO_START, user_type="Bot",
               via_app="github-actions", pr_weight=0.0, review_weight=0.0),
        # A migrated app account: GitHub kept the "[bot]" login but reports it as a plain User.
        Person("release-notes[bot]", "Release Notes", "bot", DEMO_START, pr_weight=0.0, review_weight=0.0),
        # A service account that looks human but only ever posts template comments.
        Person("qa-automation", "QA Automation", "service", DEMO_START, member_from=DEMO_START,
               pr_weight=0.0, review_weight=0.0),
    ]
    # fmt: on
    # priya-dev is hired after a good start: she becomes an org member on day 240.
    for person in people:
        if person.login == "priya-dev":
            person.member_from = _d(240)
    return people


def by_login(people: list[Person]) -> dict[str, Person]:
    return {p.login: p for p in people}
