output "dashboard_name" {
  description = "Name of the dashboard, or null when enable_dashboard is false."
  value       = one(aws_cloudwatch_dashboard.this[*].dashboard_name)
}

output "alarm_names" {
  description = "Alarm name per failure mode (lambda_errors, lambda_throttles, api_5xx, api_latency_p99, dynamodb_throttles); empty when enable_alarms is false."
  value = var.enable_alarms ? {
    lambda_errors      = aws_cloudwatch_metric_alarm.lambda_errors[0].alarm_name
    lambda_throttles   = aws_cloudwatch_metric_alarm.lambda_throttles[0].alarm_name
    api_5xx            = aws_cloudwatch_metric_alarm.api_5xx[0].alarm_name
    api_latency_p99    = aws_cloudwatch_metric_alarm.api_latency_p99[0].alarm_name
    dynamodb_throttles = aws_cloudwatch_metric_alarm.dynamodb_throttles[0].alarm_name
  } : {}
}
