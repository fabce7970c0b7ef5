# Alarms for the failure modes that matter. Standard-resolution alarms cost $0.10 per alarm
# metric per month beyond the 10 free per account; these use 6 alarm metrics in total.

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  count = var.enable_alarms ? 1 : 0

  alarm_name          = "${local.name}-lambda-errors"
  alarm_description   = "The function ${var.function_name} raised unhandled errors."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = local.lambda_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.lambda_errors_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_throttles" {
  count = var.enable_alarms ? 1 : 0

  alarm_name          = "${local.name}-lambda-throttles"
  alarm_description   = "Invocations of ${var.function_name} were throttled (concurrency limit reached)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = local.lambda_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  count = var.enable_alarms ? 1 : 0

  alarm_name          = "${local.name}-api-5xx"
  alarm_description   = "Stage ${var.stage_name} of ${var.rest_api_name} returned 5XX responses."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = local.api_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.api_5xx_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  count = var.enable_alarms ? 1 : 0

  alarm_name                            = "${local.name}-api-latency-p99"
  alarm_description                     = "p99 latency of stage ${var.stage_name} of ${var.rest_api_name} stayed above ${var.latency_p99_threshold_ms} ms for 15 minutes."
  namespace                             = "AWS/ApiGateway"
  metric_name                           = "Latency"
  dimensions                            = local.api_dimensions
  extended_statistic                    = "p99"
  period                                = 300
  evaluation_periods                    = 3
  comparison_operator                   = "GreaterThanThreshold"
  threshold                             = var.latency_p99_threshold_ms
  treat_missing_data                    = "notBreaching"
  evaluate_low_sample_count_percentiles = "ignore" # a handful of slow cold starts is not an incident
  alarm_actions                         = local.alarm_actions
  ok_actions                            = local.alarm_actions

  tags = var.tags
}

# Table-level throttling: read and write throttle events summed with metric math.
resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  count = var.enable_alarms ? 1 : 0

  alarm_name          = "${local.name}-dynamodb-throttles"
  alarm_description   = "Requests to table ${var.table_name} were throttled."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "throttles"
    expression  = "reads + writes"
    label       = "Throttle events"
    return_data = true
  }

  metric_query {
    id = "reads"

    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ReadThrottleEvents"
      dimensions  = local.table_dimensions
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "writes"

    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "WriteThrottleEvents"
      dimensions  = local.table_dimensions
      stat        = "Sum"
      period      = 300
    }
  }

  tags = var.tags
}
