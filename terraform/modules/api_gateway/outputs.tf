output "rest_api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "rest_api_name" {
  description = "Name of the REST API (the ApiName dimension of its CloudWatch metrics)."
  value       = aws_api_gateway_rest_api.this.name
}

output "execution_arn" {
  description = "Execution ARN of the REST API (for invoke permissions and IAM policies)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_name" {
  description = "Name of the deployed stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "invoke_url" {
  description = "Base URL of the stage: https://<api id>.execute-api.<region>.amazonaws.com/<stage>."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "api_keys" {
  description = "API key value per client name. Secret: send it as the x-api-key header."
  value       = { for name, key in aws_api_gateway_api_key.this : name => key.value }
  sensitive   = true
}

output "api_key_ids" {
  description = "API key ID per client name (not secret)."
  value       = { for name, key in aws_api_gateway_api_key.this : name => key.id }
}

output "usage_plan_ids" {
  description = "Usage plan ID per client name."
  value       = { for name, plan in aws_api_gateway_usage_plan.this : name => plan.id }
}
