locals {
  name = var.name

  lambda_dimensions = { FunctionName = var.function_name }
  api_dimensions    = { ApiName = var.rest_api_name, Stage = var.stage_name }
  table_dimensions  = { TableName = var.table_name }

  alarm_actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]
}

# CloudWatch charges $3/month per dashboard beyond the free three, so it is opt-in.
resource "aws_cloudwatch_dashboard" "this" {
  count = var.enable_dashboard ? 1 : 0

  dashboard_name = "${local.name}-overview"
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}

# The eight widgets of the overview dashboard: a 2-column grid, 12 units wide each.
locals {
  widget_metrics = [
    {
      title = "Lambda invocations"
      stat  = "Sum"
      metrics = [
        ["AWS/Lambda", "Invocations", "FunctionName", var.function_name],
      ]
    },
    {
      title = "Lambda errors"
      stat  = "Sum"
      metrics = [
        ["AWS/Lambda", "Errors", "FunctionName", var.function_name],
      ]
    },
    {
      title = "Lambda duration p50 / p99 (ms)"
      stat  = "p50"
      metrics = [
        ["AWS/Lambda", "Duration", "FunctionName", var.function_name, { stat = "p50", label = "p50" }],
        ["AWS/Lambda", "Duration", "FunctionName", var.function_name, { stat = "p99", label = "p99" }],
      ]
    },
    {
      title = "Lambda throttles and concurrency"
      stat  = "Sum"
      metrics = [
        ["AWS/Lambda", "Throttles", "FunctionName", var.function_name],
        ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", var.function_name, { stat = "Maximum" }],
      ]
    },
    {
      title = "API 4XX / 5XX"
      stat  = "Sum"
      metrics = [
        ["AWS/ApiGateway", "4XXError", "ApiName", var.rest_api_name, "Stage", var.stage_name],
        ["AWS/ApiGateway", "5XXError", "ApiName", var.rest_api_name, "Stage", var.stage_name],
      ]
    },
    {
      title = "API latency p50 / p99 (ms)"
      stat  = "p50"
      metrics = [
        ["AWS/ApiGateway", "Latency", "ApiName", var.rest_api_name, "Stage", var.stage_name, { stat = "p50", label = "p50" }],
        ["AWS/ApiGateway", "Latency", "ApiName", var.rest_api_name, "Stage", var.stage_name, { stat = "p99", label = "p99" }],
      ]
    },
    {
      title = "DynamoDB consumed capacity"
      stat  = "Sum"
      metrics = [
        ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", var.table_name],
        ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", var.table_name],
      ]
    },
    {
      title = "DynamoDB throttle events"
      stat  = "Sum"
      metrics = [
        ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", var.table_name],
        ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", var.table_name],
      ]
    },
  ]

  dashboard_widgets = [
    for index, widget in local.widget_metrics : {
      type   = "metric"
      x      = (index % 2) * 12
      y      = floor(index / 2) * 6
      width  = 12
      height = 6
      properties = {
        title   = widget.title
        region  = var.region
        view    = "timeSeries"
        stacked = false
        period  = 300
        stat    = widget.stat
        metrics = widget.metrics
      }
    }
  ]
}
