"""Our SDL must be a strict subset of GitHub's official GraphQL schema."""

from __future__ import annotations

from importlib import resources

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)


def _ours() -> GraphQLSchema:
    return build_schema(resources.files("analyzer.fakegithub").joinpath("schema.graphql").read_text())


def subset_violations(ours: GraphQLSchema, official: GraphQLSchema) -> list[str]:
    problems: list[str] = []
    for name, ours_type in ours.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Boolean", "ID", "Float"):
            continue
        theirs = official.type_map.get(name)
        if theirs is None or type(theirs) is not type(ours_type):
            problems.append(f"type {name}: missing or of another kind upstream")
            continue
        if isinstance(ours_type, GraphQLEnumType):
            assert isinstance(theirs, GraphQLEnumType)
            problems += [f"{name}.{v}" for v in ours_type.values if v not in theirs.values]
        if isinstance(ours_type, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(theirs, GraphQLObjectType | GraphQLInterfaceType)
            upstream_ifaces = {i.name for i in theirs.interfaces}
            problems += [
                f"{name} implements {i.name}" for i in ours_type.interfaces if i.name not in upstream_ifaces
            ]
            for fname, fdef in ours_type.fields.items():
                tdef = theirs.fields.get(fname)
                if tdef is None or str(tdef.type) != str(fdef.type):
                    problems.append(f"{name}.{fname}: {fdef.type} vs {tdef.type if tdef else 'absent'}")
                    continue
                for aname, adef in fdef.args.items():
                    targ = tdef.args.get(aname)
                    if targ is None or str(targ.type) != str(adef.type):
                        problems.append(
                            f"{name}.{fname}({aname}): {adef.type} vs {targ.type if targ else 'absent'}"
                        )
        if isinstance(ours_type, GraphQLInputObjectType):
            assert isinstance(theirs, GraphQLInputObjectType)
            for fname, ifield in ours_type.fields.items():
                tfield = theirs.fields.get(fname)
                if tfield is None or str(tfield.type) != str(ifield.type):
                    problems.append(f"input {name}.{fname}")
        if isinstance(ours_type, GraphQLUnionType):
            assert isinstance(theirs, GraphQLUnionType)
            upstream_members = {m.name for m in theirs.types}
            problems += [f"{name} = ... | {m.name}" for m in ours_type.types if m.name not in upstream_members]
        if isinstance(ours_type, GraphQLScalarType) and not isinstance(theirs, GraphQLScalarType):
            problems.append(f"scalar {name}")
    return problems


def test_our_schema_is_a_subset_of_githubs(official_schema: GraphQLSchema) -> None:
    assert subset_violations(_ours(), official_schema) == []


def test_our_schema_is_a_subset_of_enterprise_server_3_16s(official_schema: GraphQLSchema) -> None:
    from openapi_check import OFFICIAL_SDL  # beside github.com's (official_schema skips when ../shared is absent)

    sdl = (OFFICIAL_SDL.parent / "ghes-3.16.schema.graphql").read_text(encoding="utf-8")
    assert subset_violations(_ours(), build_schema(sdl, assume_valid_sdl=True, assume_valid=True)) == []


def test_the_subset_check_catches_a_wrong_type(official_schema: GraphQLSchema) -> None:
    official = official_schema
    broken = build_schema(
        "type Query { rateLimit: RateLimit } type RateLimit { cost: String limit: Int! made_up: Int }"
        " union PullRequestTimelineItems = RateLimit"
    )
    assert subset_violations(broken, official) == [
        "RateLimit.cost: String vs Int!",
        "RateLimit.made_up: Int vs absent",
        "PullRequestTimelineItems = ... | RateLimit",
    ]
