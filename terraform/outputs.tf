output "api_base_url" {
  description = "Base URL of the API: https://<api id>.execute-api.<region>.amazonaws.com/<stage>."
  value       = module.api_gateway.invoke_url
}

output "rest_api_id" {
  description = "ID of the REST API."
  value       = module.api_gateway.rest_api_id
}

output "stage_name" {
  description = "Name of the API stage."
  value       = module.api_gateway.stage_name
}

output "api_keys" {
  description = "API key value per client (send as x-api-key). Secret: read with `terraform output -json api_keys`."
  value       = module.api_gateway.api_keys
  sensitive   = true
}

output "api_key_ids" {
  description = "API key ID per client."
  value       = module.api_gateway.api_key_ids
}

output "table_name" {
  description = "Name of the DynamoDB table."
  value       = module.dynamodb.table_name
}

output "table_arn" {
  description = "ARN of the DynamoDB table."
  value       = module.dynamodb.table_arn
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = module.lambda.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = module.lambda.function_arn
}

output "lambda_role_name" {
  description = "Name of the function's execution role."
  value       = module.iam.role_name
}

output "lambda_role_arn" {
  description = "ARN of the function's execution role."
  value       = module.iam.role_arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = module.lambda.log_group_name
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard, or null when enable_dashboard is false."
  value       = module.monitoring.dashboard_name
}

output "alarm_names" {
  description = "CloudWatch alarm name per failure mode (lambda_errors, lambda_throttles, api_5xx, api_latency_p99, dynamodb_throttles); empty when enable_alarms is false."
  value       = module.monitoring.alarm_names
}
