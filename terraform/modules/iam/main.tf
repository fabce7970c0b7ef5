locals {
  name = var.role_name

  # The only DynamoDB calls the handler (and Powertools idempotency) makes. No Scan: listing
  # goes through Query on GSI1. Keep this list in step with lambda/items_api/storage.py.
  dynamodb_actions = [
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
  ]
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "LambdaServiceAssumesRoleForThisAccountOnly"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    # Confused-deputy guard: only Lambda acting for a function in this account may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  statement {
    sid       = "ItemsTableCrudOnTableAndIndexes"
    effect    = "Allow"
    actions   = local.dynamodb_actions
    resources = [var.table_arn, "${var.table_arn}/index/*"]
  }

  statement {
    sid     = "WriteOwnLogGroupOnly"
    effect  = "Allow"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    # The group itself is created by Terraform, so no logs:CreateLogGroup: Lambda can never
    # create an unmanaged group that outlives destroy.
    resources = ["${var.log_group_arn}:*"]
  }

  # X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions:
  # AWS only accepts "*" for them. Granted only while active tracing is on.
  dynamic "statement" {
    for_each = var.tracing_enabled ? [1] : []

    content {
      sid       = "XRayTracingOnlyWhenEnabledAwsRequiresWildcard"
      effect    = "Allow"
      actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = local.name
  description          = "Execution role of the ${var.function_name} Lambda function"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${local.name}-least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.permissions.json
}
