locals {
  name = var.name

  # The CRUD routes: one entry per method, keyed "<resource> <METHOD>".
  routes = {
    "items POST"  = { resource = "items", http_method = "POST" }
    "items GET"   = { resource = "items", http_method = "GET" }
    "item GET"    = { resource = "item", http_method = "GET" }
    "item PUT"    = { resource = "item", http_method = "PUT" }
    "item PATCH"  = { resource = "item", http_method = "PATCH" }
    "item DELETE" = { resource = "item", http_method = "DELETE" }
  }

  resource_ids = {
    items = aws_api_gateway_resource.items.id
    item  = aws_api_gateway_resource.item.id
  }
}

resource "aws_api_gateway_rest_api" "this" {
  name           = local.name
  description    = var.description
  api_key_source = "HEADER" # clients send x-api-key

  endpoint_configuration {
    types = ["REGIONAL"] # no CloudFront distribution in front: cheaper and simpler to tear down
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true # if it is ever replaced, clients keep an API until the new one exists
  }
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_resource" "item" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.items.id
  path_part   = "{id}"
}

resource "aws_api_gateway_method" "this" {
  #checkov:skip=CKV2_AWS_53: request bodies and parameters are validated by the handler's Pydantic models, the single definition of the API's shapes; a second copy in API Gateway models would drift
  for_each = local.routes

  rest_api_id      = aws_api_gateway_rest_api.this.id
  resource_id      = local.resource_ids[each.value.resource]
  http_method      = each.value.http_method
  authorization    = "NONE" # callers are identified by their API key and its usage plan
  api_key_required = true
}

resource "aws_api_gateway_integration" "this" {
  for_each = local.routes

  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_method.this[each.key].resource_id
  http_method             = aws_api_gateway_method.this[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST" # Lambda is always invoked with POST, whatever the client used
  uri                     = var.lambda_invoke_arn
}

resource "aws_lambda_permission" "api_gateway" {
  statement_id  = "AllowInvokeFromApi-${aws_api_gateway_rest_api.this.id}"
  action        = "lambda:InvokeFunction"
  function_name = var.lambda_function_name
  principal     = "apigateway.amazonaws.com"
  # Any stage and method of this API only; another API in the account cannot invoke the function.
  source_arn = "${aws_api_gateway_rest_api.this.execution_arn}/*/*"
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  description = "Managed by Terraform"

  # A deployment is a snapshot: redeploy whenever a route, method or integration changes. The
  # hash covers the arguments we set, not whole objects, whose optional attributes read back from
  # the API as {} or [] instead of null and would force one needless redeployment.
  triggers = {
    redeployment = sha1(jsonencode({
      resources = [
        for resource in [aws_api_gateway_resource.items, aws_api_gateway_resource.item] :
        [resource.id, resource.parent_id, resource.path_part]
      ]
      methods = {
        for key, method in aws_api_gateway_method.this :
        key => [method.id, method.authorization, method.api_key_required]
      }
      integrations = {
        for key, integration in aws_api_gateway_integration.this :
        key => [integration.id, integration.type, integration.integration_http_method, integration.uri]
      }
    }))
  }

  lifecycle {
    create_before_destroy = true # the stage moves to the new deployment before the old one goes
  }
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_76: access logs need the account-wide API Gateway CloudWatch role (aws_api_gateway_account), which a stack cannot own or destroy; requests are logged by the function (see README)
  #checkov:skip=CKV2_AWS_4: execution logging is deliberately OFF for the same account-wide role reason; method_settings sets logging_level = "OFF" explicitly
  #checkov:skip=CKV_AWS_120: a cache cluster costs from about $14/month and CRUD reads must see the latest write
  #checkov:skip=CKV2_AWS_29: WAF costs $5/month per web ACL plus rules, breaking the $0 idle budget; API keys, usage plan quotas and stage throttling bound abuse
  #checkov:skip=CKV2_AWS_51: clients authenticate with API keys over TLS; mutual TLS needs a custom domain name, which this stack does not own
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  description          = "Stage ${var.stage_name} of ${local.name}"
  xray_tracing_enabled = var.tracing_enabled

  tags = var.tags
}

# Stage-wide defaults for every method ("*/*"). Execution logging stays OFF: it needs the
# account-wide aws_api_gateway_account CloudWatch role, which this stack does not own (see README).
resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225: caching is off on purpose: a cache cluster costs from about $14/month and CRUD reads must see the latest write
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
    metrics_enabled        = false # per-method detailed metrics cost extra; the API-level ones are free
    logging_level          = "OFF"
    data_trace_enabled     = false
  }
}

resource "aws_api_gateway_api_key" "this" {
  for_each = var.clients

  name        = "${local.name}-${each.key}"
  description = "API key of client ${each.key} of ${local.name}"
  enabled     = each.value.enabled

  tags = var.tags
}

resource "aws_api_gateway_usage_plan" "this" {
  for_each = var.clients

  name        = "${local.name}-${each.key}"
  description = "Quota and throttling of client ${each.key}"

  api_stages {
    api_id = aws_api_gateway_rest_api.this.id
    stage  = aws_api_gateway_stage.this.stage_name
  }

  quota_settings {
    limit  = each.value.quota_limit
    period = each.value.quota_period
  }

  throttle_settings {
    burst_limit = each.value.burst_limit
    rate_limit  = each.value.rate_limit
  }

  tags = var.tags
}

resource "aws_api_gateway_usage_plan_key" "this" {
  for_each = var.clients

  key_id        = aws_api_gateway_api_key.this[each.key].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.this[each.key].id
}
