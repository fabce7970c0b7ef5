variable "role_name" {
  description = "Name of the Lambda execution role (1-64 characters: letters, digits and +=,.@_-)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "The role name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "function_name" {
  description = "Name of the function that uses the role (for the role's description only)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "The function name must be 1-64 characters of letters, digits, '_' or '-'."
  }
}

variable "table_arn" {
  description = "ARN of the DynamoDB table the function reads and writes (its indexes are included)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", var.table_arn))
    error_message = "table_arn must be a DynamoDB table ARN (arn:<partition>:dynamodb:<region>:<account>:table/<name>)."
  }
}

variable "log_group_arn" {
  description = "ARN of the function's log group, without the trailing ':*' (the module adds it for log streams)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^*]+$", var.log_group_arn)) && !endswith(var.log_group_arn, ":*")
    error_message = "log_group_arn must be a CloudWatch Logs log group ARN without a trailing ':*'."
  }
}

variable "tracing_enabled" {
  description = "Grant the X-Ray write actions that active tracing needs."
  type        = bool
  default     = true
  nullable    = false
}

variable "tags" {
  description = "Tags for the role (merged with the provider's default_tags by the AWS provider)."
  type        = map(string)
  default     = {}
  nullable    = false
}
