"""Match a request path and method to a deployed resource, with API Gateway's precedence.

At each path segment a literal part beats a ``{param}``, which beats a greedy ``{param+}``
(which takes one or more remaining segments). A method missing on the matched resource falls
back to ``ANY``. Path parameters keep their percent-encoding, as a REST API passes them (an
HTTP API would decode them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from harness.gateway.config import Method, Resource


@dataclass(frozen=True)
class RouteMatch:
    resource: Resource
    method: Method
    path_parameters: dict[str, str]


@dataclass
class _Node:
    resource: Resource | None = None
    literals: dict[str, _Node] = field(default_factory=dict)
    parameter: tuple[str, _Node] | None = None
    greedy: tuple[str, _Node] | None = None


class RouteTable:
    def __init__(self, resources: Iterable[Resource]) -> None:
        self._root = _Node()
        for resource in resources:
            node = self._root
            for part in _segments(resource.path):
                node = self._child(node, part)
            node.resource = resource

    @staticmethod
    def _child(node: _Node, part: str) -> _Node:
        if part.startswith("{") and part.endswith("+}"):
            if node.greedy is None:
                node.greedy = (part[1:-2], _Node())
            return node.greedy[1]
        if part.startswith("{") and part.endswith("}"):
            if node.parameter is None:
                node.parameter = (part[1:-1], _Node())
            return node.parameter[1]
        return node.literals.setdefault(part, _Node())

    def match(self, http_method: str, path: str) -> RouteMatch | None:
        """The route for a stage-relative path; None means Missing Authentication Token."""
        found = self._walk(self._root, _segments(path), {})
        if found is None:
            return None
        resource, parameters = found
        method = resource.methods.get(http_method.upper()) or resource.methods.get("ANY")
        if method is None:
            return None
        return RouteMatch(resource, method, parameters)

    def _walk(
        self, node: _Node, segments: list[str], parameters: dict[str, str]
    ) -> tuple[Resource, dict[str, str]] | None:
        if not segments:
            return (node.resource, parameters) if node.resource is not None else None
        head, rest = segments[0], segments[1:]
        literal = node.literals.get(head)
        if literal is not None and (found := self._walk(literal, rest, parameters)):
            return found
        if node.parameter is not None and head:
            name, child = node.parameter
            if found := self._walk(child, rest, {**parameters, name: head}):
                return found
        if node.greedy is not None:
            name, child = node.greedy
            if child.resource is not None:
                return child.resource, {**parameters, name: "/".join(segments)}
        return None


def _segments(path: str) -> list[str]:
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []
