locals {
  name = var.name

  # Single-table design: every entity lives under PK/SK; GSI1 serves the second access path.
  hash_key      = "PK"
  range_key     = "SK"
  gsi_name      = "GSI1"
  gsi_hash_key  = "GSI1PK"
  gsi_range_key = "GSI1SK"
  ttl_attribute = "expires_at"
}

resource "aws_dynamodb_table" "this" {
  #checkov:skip=CKV_AWS_119: encrypted at rest with the AWS-owned key at no cost; a customer managed key adds $1/month plus requests (document and switch if you must audit key use)
  name         = local.name
  billing_mode = "PAY_PER_REQUEST" # $0 idle: no provisioned capacity to pay for or tune
  hash_key     = local.hash_key
  range_key    = local.range_key

  attribute {
    name = local.hash_key
    type = "S"
  }

  attribute {
    name = local.range_key
    type = "S"
  }

  attribute {
    name = local.gsi_hash_key
    type = "S"
  }

  attribute {
    name = local.gsi_range_key
    type = "S"
  }

  global_secondary_index {
    name            = local.gsi_name
    hash_key        = local.gsi_hash_key
    range_key       = local.gsi_range_key
    projection_type = "ALL"
  }

  ttl {
    attribute_name = local.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  # enabled = false selects the AWS-owned key: encrypted at rest at no cost. A customer managed
  # key would add $1/month per key plus request charges, which breaks the $0 idle budget.
  server_side_encryption {
    enabled = false
  }

  deletion_protection_enabled = var.deletion_protection

  tags = var.tags
}
