"""Where things live in each demo repository: language, source modules, docs and CI files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RepoLayout:
    name: str
    language: str
    description: str
    modules: tuple[str, ...]  # source file paths
    tests: tuple[str, ...]
    manifest: str
    lockfile: str
    docs: tuple[str, ...] = (
        "docs/architecture.md",
        "docs/configuration.md",
        "docs/troubleshooting.md",
        "docs/api.md",
        "docs/runbooks/incident-response.md",
        "CHANGELOG.md",
    )
    onboarding: tuple[str, ...] = (
        "README.md",
        "CONTRIBUTING.md",
        "docs/onboarding/getting-started.md",
        "docs/onboarding/local-development.md",
    )
    merge_style: str = "merge"  # "merge" keeps PR commits on the default branch, "squash" does not


WORKFLOWS: tuple[tuple[str, str], ...] = (
    ("CI", ".github/workflows/ci.yml"),
    ("Lint", ".github/workflows/lint.yml"),
    ("Docs", ".github/workflows/docs.yml"),
    ("Release", ".github/workflows/release.yml"),
)


def _py(pkg: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(f"src/{pkg}/{n}.py" for n in names), tuple(f"tests/test_{n}.py" for n in names)


def _ts(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(f"src/{n}.ts" for n in names), tuple(f"src/__tests__/{n.split('/')[-1]}.test.ts" for n in names)


def _go(pkg: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(f"internal/{pkg}/{n}.go" for n in names), tuple(f"internal/{pkg}/{n}_test.go" for n in names)


def _layouts() -> dict[str, RepoLayout]:
    gw = _py("gateway", ("routes", "auth", "ratelimit", "proxy", "middleware", "config", "health"))
    bill = _py("billing", ("invoices", "ledger", "payments", "tax", "webhooks", "models", "refunds"))
    web = _ts(
        (
            "components/Dashboard",
            "components/UsageChart",
            "hooks/useSession",
            "api/client",
            "state/store",
            "pages/Settings",
            "utils/format",
        )
    )
    pipe = _py("pipeline", ("extract", "transform", "load", "scheduler", "schemas", "dedupe"))
    auth = _go("auth", ("token", "session", "jwks", "middleware", "store", "oidc"))
    sync = _ts(("sync/engine", "sync/conflicts", "storage/queue", "net/transport", "models/record"))
    infra = (
        tuple(f"modules/{m}/main.tf" for m in ("network", "database", "cluster", "dns", "queues")),
        tuple(f"modules/{m}/variables.tf" for m in ("network", "database", "cluster")),
    )
    portal = _ts(("site/search", "site/navigation", "site/theme", "plugins/versioning"))
    return {
        "api-gateway": RepoLayout(
            "api-gateway",
            "Python",
            "Edge API gateway: routing, auth, rate limits",
            *gw,
            "pyproject.toml",
            "poetry.lock",
            merge_style="squash",
        ),
        "billing-service": RepoLayout(
            "billing-service",
            "Python",
            "Invoices, payments and the ledger",
            *bill,
            "pyproject.toml",
            "poetry.lock",
            merge_style="squash",
        ),
        "web-dashboard": RepoLayout(
            "web-dashboard",
            "TypeScript",
            "Customer dashboard (React)",
            *web,
            "package.json",
            "package-lock.json",
            merge_style="squash",
        ),
        "data-pipeline": RepoLayout(
            "data-pipeline",
            "Python",
            "Nightly ETL into the warehouse",
            *pipe,
            "pyproject.toml",
            "poetry.lock",
            merge_style="squash",
        ),
        "auth-lib": RepoLayout(
            "auth-lib", "Go", "Token, session and OIDC library", *auth, "go.mod", "go.sum", merge_style="squash"
        ),
        "mobile-sync": RepoLayout(
            "mobile-sync",
            "TypeScript",
            "Offline sync engine for the mobile apps",
            *sync,
            "package.json",
            "package-lock.json",
            merge_style="squash",
        ),
        "infra-live": RepoLayout(
            "infra-live",
            "HCL",
            "Terraform for every environment",
            *infra,
            "versions.tf",
            ".terraform.lock.hcl",
            merge_style="squash",
        ),
        "docs-portal": RepoLayout(
            "docs-portal",
            "TypeScript",
            "Developer portal and public docs",
            *portal,
            "package.json",
            "package-lock.json",
            docs=(
                "docs/guides/quickstart.md",
                "docs/guides/authentication.md",
                "docs/guides/webhooks.md",
                "docs/reference/errors.md",
                "docs/reference/rate-limits.md",
                "docs/faq.md",
                "CHANGELOG.md",
            ),
        ),
    }


LAYOUTS: dict[str, RepoLayout] = _layouts()


def is_doc_path(path: str) -> bool:
    return path.startswith("docs/") or path.endswith(".md")
