"""The fake server's GraphQL happy path: each selection set planned once per request, then plain calls.

graphql-core spends most of a large page (50 PRs with their reviews, threads and comments: about
20,000 fields) on per-field bookkeeping (resolve info, paths, async checks); on the collector's own
pages it takes about 4 times the CPU of this plan (a demo-sized collection: 7 s of CPU instead of
4.3 s). A plan is, per selection set and runtime type, a
tuple of (response key, resolver, info, arguments, completer); running it is a loop of ordinary
calls. It handles what valid queries against our schema use: fields, aliases, arguments,
variables, fragments, inline fragments, ``@skip``/``@include``, lists, non-null, interfaces and
``__typename``.

Whenever an answer would need more than that (a resolver error, a null in a non-null field,
introspection, several operations without a name), it raises ``Unsupported`` and the caller runs
graphql-core, so errors and null propagation keep graphql-core's exact semantics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLSkipDirective,
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


class Unsupported(Exception):
    """The plan cannot give graphql-core's exact answer here; let graphql-core answer."""


@dataclass(frozen=True)
class _Info:
    """What resolvers may read from graphql-core's ``GraphQLResolveInfo`` (ours read ``context``)."""

    field_name: str
    context: Any
    schema: GraphQLSchema
    variable_values: VariableValues


class _FieldPlan(NamedTuple):
    """One field of a selection set, ready to run."""

    key: str  # the response key (alias or field name)
    resolve: Callable[..., Any]
    info: _Info
    args: dict[str, Any]
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
        runner = _object_runner(tuple(self._field_plan(runtime, key, nodes) for key, nodes in grouped.items()))
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
            return _FieldPlan(key, lambda _source, _info: type_name, info, {}, _identity)
        field = parent.fields.get(name)
        if field is None:  # introspection (__schema, __type) or a field validation would refuse
            raise Unsupported(f"field {parent.name}.{name}")
        args = get_argument_values(field, nodes[0], self.variables)
        resolve = field.resolve or default_field_resolver
        return _FieldPlan(key, resolve, info, args, self._completer(field.type, nodes, info))

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
            return self._object_completer(return_type, sub_selections)
        if is_abstract_type(return_type):
            assert isinstance(return_type, GraphQLAbstractType)
            return self._abstract_completer(return_type, sub_selections, info)
        raise Unsupported(f"return type {return_type}")

    def _object_completer(self, object_type: GraphQLObjectType, selections: list[SelectionSetNode]) -> Completer:
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


def _object_runner(plans: tuple[_FieldPlan, ...]) -> ObjectRunner:
    """Answer one selection set for one source object: each field resolved and completed, in order."""

    def run(source: Any) -> JSON:
        return {key: complete(resolve(source, info, **args)) for key, resolve, info, args, complete in plans}

    return run


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
    """graphql-core's complete_leaf_value (and the non-null check around it, if asked)."""

    def complete(value: Any) -> Any:
        if value is None:
            if non_null:
                raise Unsupported("null in a non-null field")  # graphql-core propagates it with an error
            return None
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise Unsupported("leaf value did not coerce")
        return coerced

    return complete
