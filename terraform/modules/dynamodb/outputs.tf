output "table_name" {
  description = "Name of the table, for the function's TABLE_NAME environment variable."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the table; IAM policies add `/index/*` for the GSI."
  value       = aws_dynamodb_table.this.arn
}

output "gsi_name" {
  description = "Name of the global secondary index (GSI1PK/GSI1SK)."
  value       = local.gsi_name
}

output "ttl_attribute" {
  description = "Attribute that holds the expiry time (epoch seconds) DynamoDB's TTL deletes by."
  value       = local.ttl_attribute
}
