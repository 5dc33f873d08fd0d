"""A lean executor for the happy path of the fake server's GraphQL: same answer as graphql-core, faster.

graphql-core spends most of a large page (50 PRs with their reviews, threads and comments: about
20,000 fields) on per-field bookkeeping (resolve info, paths, async checks). This executor plans each
selection set once per request and then only calls resolvers and completes values. It handles what
valid queries against our schema use: fields, aliases, arguments, variables, fragments, inline
fragments, ``@skip``/``@include``, lists, non-null, interfaces and ``__typename``.

Whenever an answer would need more than that (a resolver error, a null in a non-null field,
introspection, several operations without a name), it raises ``Unsupported`` and the caller runs
graphql-core, so errors and null propagation keep graphql-core's exact semantics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import CodeType
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLID,
    GraphQLIncludeDirective,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLSkipDirective,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution import default_field_resolver
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

JSON = dict[str, Any]
Completer = Callable[[Any], Any]
ObjectRunner = Callable[[Any], JSON]


class AttrResolver:
    """A resolver that reads one attribute of its source, optionally converted (e.g. a datetime to
    GitHub's timestamp text). graphql-core calls it like any resolver; ``_compile`` inlines it."""

    __slots__ = ("convert", "name")

    def __init__(self, name: str, convert: Callable[[Any], Any] | None = None) -> None:
        if not name.isidentifier():
            raise ValueError(f"not an attribute name: {name!r}")
        self.name = name
        self.convert = convert

    def __call__(self, source: Any, _info: Any, **_args: Any) -> Any:
        value = getattr(source, self.name)
        return value if self.convert is None else self.convert(value)


class Unsupported(Exception):
    """The fast path cannot give graphql-core's exact answer here; let graphql-core answer."""


@dataclass(frozen=True)
class _Info:
    """What resolvers may read from graphql-core's ``GraphQLResolveInfo`` (ours read ``context``)."""

    field_name: str
    context: Any
    schema: GraphQLSchema
    variable_values: VariableValues


class _FieldPlan(NamedTuple):
    """One field of a selection set, ready to run (a tuple: unpacking it is the fast path)."""

    key: str  # the response key (alias or field name)
    resolve: Callable[..., Any]
    info: _Info
    args: dict[str, Any] | None  # None: the field takes no arguments
    complete: Completer


def execute(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    context: Any,
) -> JSON:
    """The ``data`` graphql-core would return for this (validated) query; ``Unsupported`` otherwise."""
    return _Execution(schema, document, variables or {}, operation_name, context).run()


class _Execution:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: dict[str, Any],
        operation_name: str | None,
        context: Any,
    ) -> None:
        self.schema = schema
        self.context = context
        self.operation = _operation(document, operation_name)
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        if any(f.variable_definitions for f in self.fragments.values()):
            raise Unsupported("fragment variables")
        coerced = get_variable_values(schema, self.operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            raise Unsupported("variable errors")
        self.variables = coerced
        self._runners: dict[tuple[tuple[int, ...], str], ObjectRunner] = {}

    def run(self) -> JSON:
        query_type = self.schema.query_type
        if query_type is None:
            raise Unsupported("no query type")
        return self._runner(query_type, [self.operation.selection_set])(None)

    # ---- planning (once per selection set and runtime type) -----------------------------------

    def _runner(self, runtime: GraphQLObjectType, selection_sets: Sequence[SelectionSetNode]) -> ObjectRunner:
        cache_key = (tuple(id(s) for s in selection_sets), runtime.name)
        found = self._runners.get(cache_key)
        if found is not None:
            return found
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._collect(runtime, selection_set, grouped, visited)
        runner = _compile([self._field_plan(runtime, key, nodes) for key, nodes in grouped.items()])
        self._runners[cache_key] = runner
        return runner

    def _collect(
        self,
        runtime: GraphQLObjectType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        """GraphQL's CollectFields: the fields to answer, by response key, in query order."""
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(selection.type_condition, runtime):
                    self._collect(runtime, selection.selection_set, grouped, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition, runtime):
                    self._collect(runtime, fragment.selection_set, grouped, visited)
            else:
                raise Unsupported(type(selection).__name__)

    def _included(self, node: FieldNode | InlineFragmentNode | FragmentSpreadNode | Any) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name == GraphQLSkipDirective.name:
                if get_argument_values(GraphQLSkipDirective, directive, self.variables)["if"]:
                    return False
            elif name == GraphQLIncludeDirective.name:
                if not get_argument_values(GraphQLIncludeDirective, directive, self.variables)["if"]:
                    return False
            else:
                raise Unsupported(f"directive @{name}")
        return True

    def _applies(self, condition: Any, runtime: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        conditional = self.schema.get_type(condition.name.value)
        if conditional is runtime:
            return True
        if is_abstract_type(conditional):
            assert isinstance(conditional, GraphQLAbstractType)
            return self.schema.is_sub_type(conditional, runtime)
        return False

    def _field_plan(self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> _FieldPlan:
        name = nodes[0].name.value
        info = _Info(name, self.context, self.schema, self.variables)
        if name == "__typename":
            type_name = parent.name
            return _FieldPlan(key, lambda _source, _info: type_name, info, None, _identity)
        field = parent.fields.get(name)
        if field is None:  # introspection (__schema, __type) or a field validation would refuse
            raise Unsupported(f"field {parent.name}.{name}")
        args = get_argument_values(field, nodes[0], self.variables)
        resolve = field.resolve or default_field_resolver
        return _FieldPlan(key, resolve, info, args or None, self._completer(field.type, nodes, info))

    # ---- completion (by return type; built once per field plan) -------------------------------

    def _completer(self, return_type: GraphQLOutputType, nodes: list[FieldNode], info: _Info) -> Completer:
        if isinstance(return_type, GraphQLNonNull):
            if is_leaf_type(return_type.of_type):  # the commonest case (String!, Int!): one call, not two
                return _leaf(return_type.of_type.coerce_output_value, non_null=True)
            return _non_null(self._completer(return_type.of_type, nodes, info))
        if isinstance(return_type, GraphQLList):
            return _list_of(self._completer(return_type.of_type, nodes, info))
        if is_leaf_type(return_type):
            return _leaf(return_type.coerce_output_value)
        sub_selections = [n.selection_set for n in nodes if n.selection_set is not None]
        if isinstance(return_type, GraphQLObjectType):
            return self._object_completer(return_type, sub_selections, info)
        if is_abstract_type(return_type):
            assert isinstance(return_type, GraphQLAbstractType)
            return self._abstract_completer(return_type, sub_selections, info)
        raise Unsupported(f"return type {return_type}")

    def _object_completer(
        self, object_type: GraphQLObjectType, selections: list[SelectionSetNode], info: _Info
    ) -> Completer:
        if object_type.is_type_of is not None:
            raise Unsupported("is_type_of")
        runner: ObjectRunner | None = None

        def complete(value: Any) -> Any:
            nonlocal runner
            if value is None:
                return None
            if runner is None:  # planned lazily: recursive types would otherwise plan forever
                runner = self._runner(object_type, selections)
            return runner(value)

        return complete

    def _abstract_completer(
        self, abstract: GraphQLAbstractType, selections: list[SelectionSetNode], info: _Info
    ) -> Completer:
        resolve_type = abstract.resolve_type
        if resolve_type is None:
            raise Unsupported(f"no resolve_type on {abstract.name}")
        runners: dict[str, ObjectRunner] = {}  # by runtime type name

        def complete(value: Any) -> Any:
            if value is None:
                return None
            name = resolve_type(value, info, abstract)  # type: ignore[arg-type]
            if not isinstance(name, str):
                raise Unsupported(f"resolve_type of {abstract.name} gave {name!r}")
            runner = runners.get(name)
            if runner is None:
                runner = runners[name] = self._runner(self._runtime_type(abstract, name), selections)
            return runner(value)

        return complete

    def _runtime_type(self, abstract: GraphQLAbstractType, name: str) -> GraphQLObjectType:
        runtime = self.schema.get_type(name)
        if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(abstract, runtime):
            raise Unsupported(f"runtime type {name!r} for {abstract.name}")
        if runtime.is_type_of is not None:
            raise Unsupported("is_type_of")
        return runtime


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        raise Unsupported("operation")
    return operations[0]


def _compile(plans: list[_FieldPlan]) -> ObjectRunner:
    """One function per selection set: a dict display that resolves and completes each field in order.

    Generated code, because a loop over the plans costs as much again as the resolvers themselves.
    Only response keys (GraphQL names, validated: ``[_A-Za-z][_0-9A-Za-z]*``) appear in the source;
    everything else is passed in by reference.
    """
    names: dict[str, Any] = {"_str": str, "_int": int, "_bool": bool, "_dict": dict}
    entries: list[str] = []
    for i, (key, resolve, info, args, complete) in enumerate(plans):
        if not (key.isidentifier() and info.field_name.isidentifier()):
            raise Unsupported(f"response key {key!r}")
        names[f"r{i}"], names[f"i{i}"], names[f"a{i}"], names[f"c{i}"] = resolve, info, args, complete
        call = f"r{i}(s, i{i}, **a{i})" if args else f"r{i}(s, i{i})"
        if isinstance(resolve, AttrResolver):
            call = f"s.{resolve.name}"
            if resolve.convert is not None:
                names[f"t{i}"] = resolve.convert
                call = f"t{i}({call})"
        elif resolve is default_field_resolver and not args:  # inline it for dict sources (connections)
            field = repr(info.field_name)
            call = f"((d if not callable(d := s.get({field})) else d(i{i})) if type(s) is _dict else {call})"
        if complete is _identity:
            value = call
        elif isinstance(complete, _AsIsLeaf):  # inline its fast path: the value goes out as it came in
            names[f"c{i}"] = complete.otherwise
            value = f"(v if {complete.condition} else c{i}(v))".replace("VALUE", f"(v := {call})", 1)
        else:
            value = f"c{i}({call})"
        entries.append(f"{key!r}: {value}")
    source = "def run(s):\n    return {" + ", ".join(entries) + "}\n"
    exec(_compiled(source), names)  # noqa: S102 - see the docstring
    runner: ObjectRunner = names["run"]
    return runner


@lru_cache(maxsize=1024)
def _compiled(source: str) -> CodeType:
    """Compiling costs more than running a page; the same selection sets come back request after request."""
    return compile(source, "<fast_graphql>", "exec")


def _identity(value: Any) -> Any:
    return value


def _non_null(inner: Completer) -> Completer:
    def complete(value: Any) -> Any:
        completed = inner(value)
        if completed is None:
            raise Unsupported("null in a non-null field")  # graphql-core propagates it with an error
        return completed

    return complete


def _list_of(item: Completer) -> Completer:
    def complete(value: Any) -> Any:
        if type(value) is not list:
            if value is None:
                return None
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                raise Unsupported("not a list")
        return [item(x) for x in value]

    return complete


def _leaf(coerce: Callable[[Any], Any], non_null: bool = False) -> Completer:
    """graphql-core's complete_leaf_value (and the non-null check around it, if asked), with shortcuts
    for the coercions that return a value as is: custom scalars built from SDL, and str for String/ID."""

    def complete(value: Any) -> Any:
        if value is None:
            if non_null:
                raise Unsupported("null in a non-null field")  # graphql-core propagates it with an error
            return None
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise Unsupported("leaf value did not coerce")
        return coerced

    if coerce is _PASS_THROUGH:
        return _present if non_null else _identity
    condition = _AS_IS.get(coerce)
    return complete if condition is None else _AsIsLeaf(condition, complete)


class _AsIsLeaf:
    """A leaf completer for values that coerce to themselves when ``condition`` holds (``_compile``
    inlines the test; VALUE stands for the value); ``otherwise`` handles the rest."""

    def __init__(self, condition: str, otherwise: Completer) -> None:
        self.condition = condition
        self.otherwise = otherwise

    def __call__(self, value: Any) -> Any:  # where not inlined (list items): the full completion
        return self.otherwise(value)


# Conditions under which graphql-core's output coercion returns the value unchanged (fixed texts).
_AS_IS: dict[Callable[[Any], Any], str] = {
    GraphQLString.coerce_output_value: "type(VALUE) is _str",
    GraphQLID.coerce_output_value: "type(VALUE) is _str",
    GraphQLInt.coerce_output_value: "type(VALUE) is _int and -2147483648 <= v <= 2147483647",
    GraphQLBoolean.coerce_output_value: "type(VALUE) is _bool",
}


def _present(value: Any) -> Any:
    if value is None:
        raise Unsupported("null in a non-null field")
    return value


_PASS_THROUGH = GraphQLScalarType.serialize  # the default output coercion: the value itself
