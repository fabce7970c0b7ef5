variable "name" {
  description = "Name of the REST API; API keys and usage plans are named <name>-<client>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", var.name))
    error_message = "The API name must be 1-64 characters of letters, digits, '_' or '-', starting with a letter or digit."
  }
}

variable "description" {
  description = "Description of the REST API."
  type        = string
  default     = "Items CRUD API"
  nullable    = false
}

variable "lambda_function_name" {
  description = "Name of the function behind every route (for the invoke permission)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.lambda_function_name))
    error_message = "The function name must be 1-64 characters of letters, digits, '_' or '-'."
  }
}

variable "lambda_invoke_arn" {
  description = "Invoke ARN of the function (aws_lambda_function.invoke_arn): the AWS_PROXY integration URI."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?/invocations$", var.lambda_invoke_arn))
    error_message = "lambda_invoke_arn must be a Lambda invoke ARN (arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations)."
  }
}

variable "stage_name" {
  description = "Name of the stage; the last segment of the base URL."
  type        = string
  default     = "v1"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1-128 characters of letters, digits, '_' or '-'."
  }
}

variable "throttling_burst_limit" {
  description = "Stage-wide burst limit (requests) across all clients, on top of each client's usage plan."
  type        = number
  default     = 20
  nullable    = false

  validation {
    condition     = var.throttling_burst_limit >= 1 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number >= 1."
  }
}

variable "throttling_rate_limit" {
  description = "Stage-wide steady-state rate limit (requests per second) across all clients."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be greater than 0."
  }
}

variable "tracing_enabled" {
  description = "Active X-Ray tracing on the stage."
  type        = bool
  default     = true
  nullable    = false
}

variable "clients" {
  description = <<-EOT
    API clients, keyed by client name (^[a-z][a-z0-9-]{0,31}$). Each gets an API key and a usage
    plan with a quota (limit per DAY, WEEK or MONTH) and a throttle (burst requests, rate per second).
    Note that Terraform's type conversion drops attributes this type does not declare; the root
    stack rejects them by name before they get here.
  EOT
  type = map(object({
    quota_limit  = optional(number, 1000)
    quota_period = optional(string, "DAY")
    burst_limit  = optional(number, 10)
    rate_limit   = optional(number, 5)
    enabled      = optional(bool, true)
  }))
  default  = { default = {} }
  nullable = false

  validation {
    condition     = length(var.clients) >= 1
    error_message = "clients must name at least one client: every method requires an API key."
  }

  validation {
    condition     = alltrue([for name in keys(var.clients) : can(regex("^[a-z][a-z0-9-]{0,31}$", name))])
    error_message = "Client names must match ^[a-z][a-z0-9-]{0,31}$ (lower-case letter first, then up to 31 lower-case letters, digits or '-')."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : client.quota_limit > 0 && floor(client.quota_limit) == client.quota_limit])
    error_message = "Each client's quota_limit must be a whole number greater than 0."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : contains(["DAY", "WEEK", "MONTH"], client.quota_period)])
    error_message = "Each client's quota_period must be DAY, WEEK or MONTH."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : client.burst_limit >= 1 && floor(client.burst_limit) == client.burst_limit])
    error_message = "Each client's burst_limit must be a whole number >= 1."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : client.rate_limit > 0])
    error_message = "Each client's rate_limit must be greater than 0 (requests per second)."
  }
}

variable "tags" {
  description = "Tags for the REST API, stage, API keys and usage plans (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false
}
