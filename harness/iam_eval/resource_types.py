"""ARN templates of the resource types this project simulates, for EvalResourceName.

AWS puts the ARN template of the requested resource's type in the top-level
EvalResourceName (e.g. ``arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}``).
moto has no IAM action/resource catalogue, so this is a short table copied from the AWS
Service Authorization Reference for the services the stack's role touches (DynamoDB,
CloudWatch Logs, S3, Lambda). A resource of another service, or of a type not listed,
has no template and the emulator answers ``*``. The type is picked by the ARN's shape and
the action's service prefix; the action's own list of resource types is not consulted.
"""

from __future__ import annotations

import re

_DDB = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
_LOGS = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"
# Most specific first: the first template whose shape matches the ARN wins.
_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("dynamodb", f"{_DDB}/index/${{IndexName}}"),
    ("dynamodb", f"{_DDB}/stream/${{StreamLabel}}"),
    ("dynamodb", f"{_DDB}/backup/${{BackupName}}"),
    ("dynamodb", f"{_DDB}/export/${{ExportName}}"),
    ("dynamodb", f"{_DDB}/import/${{ImportName}}"),
    ("dynamodb", _DDB),
    ("dynamodb", "arn:${Partition}:dynamodb::${Account}:global-table/${GlobalTableName}"),
    ("logs", f"{_LOGS}:log-stream:${{LogStreamName}}"),
    ("logs", _LOGS),
    ("s3", "arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
    ("s3", "arn:${Partition}:s3:::${BucketName}"),
    ("lambda", "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"),
)
_VARIABLE = re.compile(r"\$\{(\w+)\}")
# ARN fields that never contain a colon; every other variable may hold any characters.
_ONE_FIELD = {"Partition", "Region", "Account"}


def _shape(template: str) -> re.Pattern[str]:
    pattern, last = "", 0
    for variable in _VARIABLE.finditer(template):
        pattern += re.escape(template[last : variable.start()])
        pattern += "[^:]+" if variable.group(1) in _ONE_FIELD else ".+"
        last = variable.end()
    return re.compile(pattern + re.escape(template[last:]), re.DOTALL)


_SHAPES = tuple((service, template, _shape(template)) for service, template in _TEMPLATES)


def resource_type_arn(action: str, resource: str) -> str | None:
    """The template of ``resource``'s type if it belongs to ``action``'s service."""
    service = action.partition(":")[0].lower()
    for prefix, template, shape in _SHAPES:
        if prefix == service and shape.fullmatch(resource):
            return template
    return None
