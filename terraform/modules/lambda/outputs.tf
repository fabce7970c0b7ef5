output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway uses to invoke the function (the AWS_PROXY integration URI)."
  value       = aws_lambda_function.this.invoke_arn
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's log group, without a trailing ':*'."
  value       = aws_cloudwatch_log_group.this.arn
}

output "powertools_layer_arn" {
  description = "The Powertools layer version ARN the function uses."
  value       = local.powertools_layer_arn
}
