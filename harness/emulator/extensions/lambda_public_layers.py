"""Lambda layers from other accounts, including the layers AWS itself publishes.

AWS: a function may use a layer version owned by another account when the version's resource
policy (AddLayerVersionPermission) grants ``lambda:GetLayerVersion`` to the function's account or
to ``*``. AWS publishes public layers this way, e.g. Powertools for AWS Lambda (Python) from
account 017000801446 in every commercial region.

moto 5.2: resolves a layer ARN only in the function's own account and region, so any foreign ARN
fails CreateFunction with ResourceNotFoundException, and none of the AWS-published layers exist.

This extension resolves each layer ARN in the account and region the ARN names, lets a function
use it when it is its own or the version's policy grants its account (or everyone), and makes
the AWS-published layers in ``AWS_PUBLISHED_LAYERS`` exist, public and empty, at the version the
ARN asks for (their code never runs here: the local runtime takes Powertools from the virtualenv).
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from typing import Any

from moto.awslambda import models
from moto.awslambda.exceptions import LambdaClientError, UnknownLayerVersionException

# Publisher account -> layer names it publishes publicly in every region.
AWS_PUBLISHED_LAYERS: dict[str, re.Pattern[str]] = {
    # Powertools for AWS Lambda (Python), v2 and v3, every runtime and architecture.
    "017000801446": re.compile(
        r"^AWSLambdaPowertoolsPython(V[23])?(-python3\d+)?(-(x86_64|arm64))?$"
    ),
}
_LAYER_VERSION_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):layer:"
    r"(?P<name>[A-Za-z0-9_-]+):(?P<version>\d+)$"
)
_PUBLIC_STATEMENT_ID = "public-aws-published-layer"
_INSTALLED_FLAG = "_sda_public_layers_installed"


class LayerAccessDenied(LambdaClientError):
    code = 403

    def __init__(self, account_id: str, arn: str) -> None:
        super().__init__(
            "AccessDeniedException",
            f"User: arn:aws:iam::{account_id}:root is not authorized to perform: "
            f"lambda:GetLayerVersion on resource: {arn}",
        )


def _empty_zip_base64() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w"):
        pass
    return base64.b64encode(buffer.getvalue()).decode()


def _publish_aws_layer(backend: Any, name: str, version: int) -> Any:
    """Create the AWS-published layer version ``name:version`` in its publisher's backend."""
    layer_version_class: Any = models.LayerVersion
    layer_version = layer_version_class(
        {
            "LayerName": name,
            "Content": {"ZipFile": _empty_zip_base64()},
            "Description": "AWS-published public layer (empty stand-in in the emulator)",
        },
        account_id=backend.account_id,
        region=backend.region_name,
    )
    storage = backend._layers
    layer = storage._layers.get(name)
    if layer is None:
        layer = models.Layer(layer_version)
        storage._layers[name] = layer
    layer_version.attach(layer, version)
    layer.layer_versions[str(version)] = layer_version
    layer._latest_version = max(layer._latest_version, version)
    layer_version.policy.add_statement(
        json.dumps(
            {
                "StatementId": _PUBLIC_STATEMENT_ID,
                "Action": "lambda:GetLayerVersion",
                "Principal": "*",
            }
        )
    )
    return layer_version


def _grants(statement: dict[str, Any], account_id: str) -> bool:
    if statement.get("Effect", "Allow") != "Allow" or "Condition" in statement:
        return False  # organization-scoped grants: the emulator has no organizations
    actions = statement.get("Action")
    actions = [actions] if isinstance(actions, str) else list(actions or [])
    if not {"lambda:GetLayerVersion", "lambda:*", "*"} & set(actions):
        return False
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    principals = [principal] if isinstance(principal, str) else list(principal or [])
    return any(
        value in {"*", account_id} or value.endswith(f":{account_id}:root") for value in principals
    )


def resolve_layer_version(arn: str, account_id: str) -> Any:
    """The LayerVersion an ARN names, as seen by a function in ``account_id``."""
    match = _LAYER_VERSION_ARN.match(arn)
    if match is None:
        raise UnknownLayerVersionException([arn])
    owner, region, name = match["account"], match["region"], match["name"]
    version = int(match["version"])
    backend = models.lambda_backends[owner][region]
    layer_version = backend.layers_versions_by_arn(arn)
    published = AWS_PUBLISHED_LAYERS.get(owner)
    if layer_version is None and published is not None and published.match(name):
        layer_version = _publish_aws_layer(backend, name, version)
    if layer_version is None:
        raise UnknownLayerVersionException([arn])
    if owner != account_id and not any(
        _grants(statement, account_id) for statement in layer_version.policy.statements
    ):
        raise LayerAccessDenied(account_id, arn)
    return layer_version


def _get_layers_data(self: Any, layers_versions_arns: list[str]) -> list[dict[str, Any]]:
    resolved = [resolve_layer_version(arn, self.account_id) for arn in layers_versions_arns]
    return [{"Arn": lv.arn, "CodeSize": lv.code_size} for lv in resolved]


def install() -> None:
    function_class: Any = models.LambdaFunction
    if getattr(function_class, _INSTALLED_FLAG, False):
        return
    function_class._get_layers_data = _get_layers_data
    setattr(function_class, _INSTALLED_FLAG, True)
