"""Validate the fake server's REST bodies against GitHub's official response schemas.

``validate_rest_log(records)`` checks every logged 200 REST body against the OpenAPI schema of its
operation in ``shared/github-api/rest/api.github.com.subset.json`` and returns the violations
(empty when all conform). Reusable by any test that drives the fake server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SPEC_PATH = SHARED / "github-api" / "rest" / "api.github.com.subset.json"
OFFICIAL_SDL = SPEC_PATH.parents[1] / "graphql" / "schema.graphql"  # github.com's GraphQL schema, beside the REST spec
SPEC_URI = "urn:github:rest-subset"


@cache
def _spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def _registry() -> Registry:
    return Registry().with_resource(SPEC_URI, Resource.from_contents(_spec(), default_specification=DRAFT4))


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def validator_for(operation: str, status: str = "200") -> OAS30Validator:
    """A validator of the ``status`` JSON body of ``GET operation`` (an OpenAPI path template)."""
    if operation not in _spec()["paths"]:
        raise KeyError(f"{operation} is not in the REST subset")
    ref = f"{SPEC_URI}#/" + _pointer(
        "paths", operation, "get", "responses", status, "content", "application/json", "schema"
    )
    return OAS30Validator({"$ref": ref}, registry=_registry(), format_checker=oas30_format_checker)


def _null_allowed(error: ValidationError) -> bool:
    """``null`` where the schema says ``nullable: true`` beside ``enum``/``oneOf`` is what GitHub sends.

    OpenAPI 3.0.3 made ``nullable`` inert without a sibling ``type``, so a strict validator rejects
    e.g. a null ``commit.author`` or a null ``job.conclusion``; GitHub's description means null.
    """
    schema = error.schema if isinstance(error.schema, dict) else {}
    return error.instance is None and schema.get("nullable") is True


def validate_rest_log(records: Iterable[Any]) -> list[str]:
    """Violations of the official schemas among the logged 200 REST responses."""
    problems: list[str] = []
    for rec in records:
        if rec.kind != "rest" or rec.status != 200 or rec.operation is None or rec.fault is not None:
            continue
        errors = [e for e in validator_for(rec.operation).iter_errors(rec.body) if not _null_allowed(e)]
        if errors:
            worst = best_match(errors)
            where = "/".join(str(p) for p in worst.absolute_path)
            problems.append(f"{rec.operation} ({len(errors)} errors) at {where}: {worst.message[:300]}")
    return problems


def operations() -> list[str]:
    """Every GET operation path template of the subset."""
    return sorted(p for p, item in _spec()["paths"].items() if "get" in item)
