"""Route matching: literal beats {param} beats {greedy+}; ANY is the fallback method."""

from __future__ import annotations

import pytest

from harness.gateway.config import Method, Resource
from harness.gateway.routing import RouteTable


def _method(verb: str) -> Method:
    return Method(
        http_method=verb, api_key_required=False, authorization_type="NONE", integration=None
    )


def _resource(path: str, *verbs: str) -> Resource:
    return Resource(id=path, path=path, methods={verb: _method(verb) for verb in verbs})


TABLE = RouteTable(
    [
        _resource("/"),
        _resource("/items", "GET", "POST"),
        _resource("/items/{id}", "GET", "PUT", "DELETE"),
        _resource("/items/latest", "GET"),
        _resource("/files/{proxy+}", "ANY"),
        _resource("/files/{proxy+}/x"),  # nested under greedy: never matched, must not break
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "resource", "params"),
    [
        ("GET", "/items", "/items", {}),
        ("POST", "/items/", "/items", {}),
        ("GET", "/items/42", "/items/{id}", {"id": "42"}),
        ("DELETE", "/items/a%20b", "/items/{id}", {"id": "a%20b"}),  # REST keeps the encoding
        ("GET", "/items/latest", "/items/latest", {}),
        ("GET", "/files/a", "/files/{proxy+}", {"proxy": "a"}),
        ("PATCH", "/files/a/b/c.txt", "/files/{proxy+}", {"proxy": "a/b/c.txt"}),
    ],
)
def test_matches(method: str, path: str, resource: str, params: dict[str, str]) -> None:
    match = TABLE.match(method, path)
    assert match is not None
    assert match.resource.path == resource
    assert match.path_parameters == params


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),  # resource without methods
        ("GET", "/nope"),
        ("GET", "/items/42/extra"),
        ("PATCH", "/items/42"),  # resource exists, method does not
        ("PUT", "/items/latest"),  # the literal wins; no fallback to {id} for another method
        ("GET", "/files"),  # greedy needs at least one segment
    ],
)
def test_unmatched(method: str, path: str) -> None:
    assert TABLE.match(method, path) is None


def test_literal_sibling_wins_over_parameter() -> None:
    match = TABLE.match("GET", "/items/latest")
    assert match is not None
    assert match.path_parameters == {}
