output "role_name" {
  description = "Name of the Lambda execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the execution role. Anything that references it waits for the inline policy too, so the function never starts without its permissions."
  value       = aws_iam_role.this.arn
  depends_on  = [aws_iam_role_policy.this]
}

output "policy_name" {
  description = "Name of the role's inline policy."
  value       = aws_iam_role_policy.this.name
}

output "policy_json" {
  description = "The inline policy document, for policy checks and IAM simulation."
  value       = data.aws_iam_policy_document.permissions.json
}

output "trust_policy_json" {
  description = "The role's trust policy document."
  value       = data.aws_iam_policy_document.trust.json
}
