locals {
  name           = var.function_name
  log_group_name = "/aws/lambda/${local.name}"

  # The AWS-managed Powertools for AWS Lambda (Python) v3 layer for python3.12 on arm64, published
  # by AWS in account 017000801446 in every commercial region.
  powertools_layer_arn = coalesce(
    var.powertools_layer_arn,
    "arn:aws:lambda:${var.region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:${var.powertools_layer_version}",
  )
}

# Created before the function (the function references it), so Lambda never creates the group
# itself: a group Lambda creates is not in state and would outlive destroy.
resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158: CloudWatch Logs encrypts every group at rest with service keys; a customer managed KMS key adds $1/month and a key policy for the logs service
  name              = local.log_group_name
  retention_in_days = var.log_retention_days

  tags = var.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116: API Gateway invokes the function synchronously; a dead-letter queue only receives failed asynchronous invocations
  #checkov:skip=CKV_AWS_117: the function reaches only DynamoDB, CloudWatch and X-Ray public endpoints; a VPC would need NAT or interface endpoints that cost money at idle
  #checkov:skip=CKV_AWS_272: the package is a reproducible zip pinned by source_code_hash; code signing needs an AWS Signer profile this stack does not own
  #checkov:skip=CKV_AWS_173: the environment holds no secrets (table name, Powertools settings) and Lambda encrypts it at rest with an AWS managed key
  function_name = local.name
  description   = var.description
  role          = var.role_arn

  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  handler          = "items_api.app.lambda_handler"
  runtime          = "python3.12"
  architectures    = ["arm64"] # Graviton: about 20% cheaper per GB-second than x86_64
  layers           = [local.powertools_layer_arn]

  memory_size                    = var.memory_mb
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency == null ? -1 : var.reserved_concurrency

  environment {
    variables = {
      TABLE_NAME                   = var.table_name
      POWERTOOLS_SERVICE_NAME      = var.service_name
      POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
      POWERTOOLS_LOG_LEVEL         = var.log_level
      IDEMPOTENCY_TTL_SECONDS      = tostring(var.idempotency_ttl_seconds)
      # Without active tracing there is nobody to send segments to: skip the X-Ray SDK entirely.
      POWERTOOLS_TRACE_DISABLED = tostring(!var.tracing_enabled)
    }
  }

  tracing_config {
    mode = var.tracing_enabled ? "Active" : "PassThrough"
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this]
}
