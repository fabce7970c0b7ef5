"""API Gateway TagResource, UntagResource and GetTags on every taggable REST API resource.

AWS: ``PUT/GET/DELETE /tags/{resource_arn}`` work on REST APIs
(``arn:aws:apigateway:<region>::/restapis/<id>``), stages (``.../restapis/<id>/stages/<name>``),
API keys (``::/apikeys/<id>``), usage plans (``::/usageplans/<id>``), VPC links and custom domain
names. TagResource and UntagResource answer 204 No Content; GetTags answers ``{"tags": {...}}``;
an ARN naming a resource that does not exist is a 404 NotFoundException.

moto 5.2: only handles stage ARNs. In server mode the URL-decoded ARN of anything else has
slashes that no route accepts, so the AWS provider gets an HTML 404 as soon as it changes the
tags of a REST API, API key or usage plan (tags given at create time are kept).

This extension adds a route for any API Gateway ARN and answers the three calls for each
resource type above, from the same backend objects the rest of moto reads.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from moto.apigateway import urls
from moto.apigateway.exceptions import NotFoundException
from moto.apigateway.responses import APIGatewayResponse

# Any API Gateway ARN after /tags/, slashes included (the server hands us the decoded path).
_ANY_ARN_ROUTE = (
    "{0}/tags/arn:(?P<partition>[^/:]+):apigateway:(?P<region_name>[^/:]+)::/(?P<resource_path>.+)$"
)
_RESOURCE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^restapis/(?P<api_id>[^/]+)/stages/(?P<stage_name>[^/]+)$"), "stage"),
    (re.compile(r"^restapis/(?P<api_id>[^/]+)$"), "rest_api"),
    (re.compile(r"^apikeys/(?P<key_id>[^/]+)$"), "api_key"),
    (re.compile(r"^usageplans/(?P<plan_id>[^/]+)$"), "usage_plan"),
    (re.compile(r"^vpclinks/(?P<link_id>[^/]+)$"), "vpc_link"),
    (re.compile(r"^domainnames/(?P<domain_name>[^/]+)$"), "domain_name"),
)
_ARN = re.compile(r"^arn:[^:]+:apigateway:[^:]+::/(?P<resource_path>.+)$")
_INSTALLED_FLAG = "_sda_apigateway_tags_installed"


class InvalidTagArn(NotFoundException):
    code = 404

    def __init__(self, arn: str) -> None:
        super().__init__(f"Invalid resource ARN or resource not found: {arn}")


def taggable_resource(backend: Any, arn: str) -> Any:
    """The backend object an API Gateway ARN names (it has a ``tags`` attribute)."""
    match = _ARN.match(arn)
    if match is None:
        raise InvalidTagArn(arn)
    path = match["resource_path"]
    for pattern, kind in _RESOURCE_PATTERNS:
        found = pattern.match(path)
        if found is None:
            continue
        try:
            if kind == "stage":
                return backend.get_stage(found["api_id"], found["stage_name"])
            if kind == "rest_api":
                return backend.get_rest_api(found["api_id"])
            if kind == "api_key":
                return backend.get_api_key(found["key_id"])
            if kind == "usage_plan":
                return backend.get_usage_plan(found["plan_id"])
            if kind == "vpc_link":
                return backend.get_vpc_link(found["link_id"])
            return backend.get_domain_name(found["domain_name"])
        except NotFoundException as error:
            raise InvalidTagArn(arn) from error
    raise InvalidTagArn(arn)


def _arn_from_path(response: APIGatewayResponse) -> str:
    return unquote(response.path.split("/tags/", 1)[1])


def get_tags(self: APIGatewayResponse) -> str:
    resource = taggable_resource(self.backend, _arn_from_path(self))
    return json.dumps({"tags": dict(resource.tags or {})})


def tag_resource(self: APIGatewayResponse) -> tuple[int, dict[str, str], str]:
    resource = taggable_resource(self.backend, _arn_from_path(self))
    tags = self._get_param("tags") or {}
    resource.tags = {**(resource.tags or {}), **tags}
    return 204, {}, ""


def untag_resource(self: APIGatewayResponse) -> tuple[int, dict[str, str], str]:
    resource = taggable_resource(self.backend, _arn_from_path(self))
    keys = set(self.querystring.get("tagKeys") or [])
    resource.tags = {key: value for key, value in (resource.tags or {}).items() if key not in keys}
    return 204, {}, ""


def install() -> None:
    response_class: Any = APIGatewayResponse
    if getattr(response_class, _INSTALLED_FLAG, False):
        return
    urls.url_paths.setdefault(_ANY_ARN_ROUTE, response_class.dispatch)
    response_class.get_tags = get_tags
    response_class.tag_resource = tag_resource
    response_class.untag_resource = untag_resource
    setattr(response_class, _INSTALLED_FLAG, True)
