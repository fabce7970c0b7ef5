variable "name_prefix" {
  description = "Prefix of every resource name and the value of the Stack tag: 3-24 characters, lower-case letters, digits and '-', starting with a letter and not ending with '-'."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-24 characters of lower-case letters, digits and '-', start with a letter and not end with '-' (e.g. \"sda-dev\")."
  }
}

variable "environment" {
  description = "Environment name for the Environment tag (e.g. dev, staging, prod)."
  type        = string
  default     = "dev"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.environment))
    error_message = "environment must be 1-32 characters of lower-case letters, digits and '-', starting with a letter."
  }
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as us-east-1 or eu-west-3."
  }
}

variable "tags" {
  description = "Extra tags for every resource. Project, Stack, Environment and ManagedBy are set by the stack and cannot be overridden."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(setintersection(keys(var.tags), ["Project", "Stack", "Environment", "ManagedBy"])) == 0
    error_message = "tags must not set Project, Stack, Environment or ManagedBy: the stack sets them (use name_prefix and environment)."
  }
}

variable "clients" {
  description = <<-EOT
    API clients: a map of client name (^[a-z][a-z0-9-]{0,31}$) to an object with any of
    quota_limit (number > 0, default 1000), quota_period ("DAY", "WEEK" or "MONTH", default "DAY"),
    burst_limit (whole number >= 1, default 10), rate_limit (requests per second > 0, default 5)
    and enabled (bool, default true). Each client gets its own API key and usage plan. The
    default is one client, "default", with all defaults.
  EOT
  # `any` on purpose: a map(object(...)) type silently drops attributes it does not declare, so
  # a typo such as `quota = 5` would deploy the default quota without a word. The validations
  # below reject unknown attributes by name; the api_gateway module's typed variable then
  # applies the defaults.
  type     = any
  default  = { default = {} }
  nullable = false

  validation {
    condition     = can(keys(var.clients)) && length(var.clients) >= 1 && alltrue([for client in values(var.clients) : can(keys(client))])
    error_message = "clients must be a non-empty map of client name => object (e.g. { default = {} }): every method requires an API key."
  }

  validation {
    condition     = alltrue([for name in keys(var.clients) : can(regex("^[a-z][a-z0-9-]{0,31}$", name))])
    error_message = "Client names must match ^[a-z][a-z0-9-]{0,31}$ (lower-case letter first, then up to 31 lower-case letters, digits or '-')."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : length(setsubtract(keys(client), ["quota_limit", "quota_period", "burst_limit", "rate_limit", "enabled"])) == 0])
    error_message = "Unknown client attribute(s) ${jsonencode(sort(distinct(flatten([for client in values(var.clients) : tolist(setsubtract(keys(client), ["quota_limit", "quota_period", "burst_limit", "rate_limit", "enabled"]))]))))}: a client accepts only quota_limit, quota_period, burst_limit, rate_limit and enabled."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : try(client.quota_limit, null) == null || try(client.quota_limit > 0 && floor(client.quota_limit) == client.quota_limit, false)])
    error_message = "Each client's quota_limit must be a whole number greater than 0."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : contains(["DAY", "WEEK", "MONTH"], try(client.quota_period, null) == null ? "DAY" : try(tostring(client.quota_period), ""))])
    error_message = "Each client's quota_period must be DAY, WEEK or MONTH."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : try(client.burst_limit, null) == null || try(client.burst_limit >= 1 && floor(client.burst_limit) == client.burst_limit, false)])
    error_message = "Each client's burst_limit must be a whole number >= 1."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : try(client.rate_limit, null) == null || try(client.rate_limit > 0, false)])
    error_message = "Each client's rate_limit must be greater than 0 (requests per second)."
  }

  validation {
    condition     = alltrue([for client in values(var.clients) : try(client.enabled, null) == null || can(tobool(client.enabled))])
    error_message = "Each client's enabled must be true or false."
  }
}

variable "stage_name" {
  description = "API Gateway stage name: the last segment of the base URL."
  type        = string
  default     = "v1"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be 1-128 characters of letters, digits, '_' or '-'."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the function's logs. One of the values CloudWatch accepts."
  type        = number
  default     = 14
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "enable_dashboard" {
  description = "Create the 8-widget CloudWatch dashboard ($3/month beyond the 3 free dashboards per account)."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_alarms" {
  description = "Create the 5 CloudWatch alarms (6 alarm metrics: free within the 10 free alarm metrics per account, $0.10 each per month beyond)."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic ARN for alarm and OK notifications; null creates the alarms without actions."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<topic>) or null."
  }
}

variable "point_in_time_recovery" {
  description = "DynamoDB point-in-time recovery (35 days of continuous backups)."
  type        = bool
  default     = true
  nullable    = false
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection. Off by default so that destroy is clean; turn it on in production."
  type        = bool
  default     = false
  nullable    = false
}

variable "powertools_layer_arn" {
  description = "Layer version ARN providing aws-lambda-powertools and pydantic. null uses the AWS-managed Powertools v3 layer for python3.12/arm64 in var.region."
  type        = string
  default     = null

  validation {
    condition     = var.powertools_layer_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.powertools_layer_arn))
    error_message = "powertools_layer_arn must be a layer version ARN (arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>) or null."
  }
}

variable "lambda_package_path" {
  description = "Path to the function's deployment zip (build it with `./nox -s package` or harness.package.build())."
  type        = string

  validation {
    condition     = endswith(var.lambda_package_path, ".zip")
    error_message = "lambda_package_path must point to a .zip file."
  }
}

variable "lambda_memory_mb" {
  description = "Function memory in MB (CPU scales with it)."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.lambda_memory_mb >= 128 && var.lambda_memory_mb <= 10240 && floor(var.lambda_memory_mb) == var.lambda_memory_mb
    error_message = "lambda_memory_mb must be a whole number between 128 and 10240."
  }
}

variable "lambda_timeout_seconds" {
  description = "Function timeout in seconds, at most API Gateway's 29 s integration timeout."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.lambda_timeout_seconds >= 1 && var.lambda_timeout_seconds <= 29 && floor(var.lambda_timeout_seconds) == var.lambda_timeout_seconds
    error_message = "lambda_timeout_seconds must be a whole number between 1 and 29."
  }
}

variable "reserved_concurrency" {
  description = "Concurrency reserved for (and capped at) the function; null leaves it unreserved."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency >= 0 && floor(var.reserved_concurrency) == var.reserved_concurrency, false)
    error_message = "reserved_concurrency must be null (unreserved) or a whole number >= 0."
  }
}

variable "tracing_enabled" {
  description = "Active AWS X-Ray tracing on the function and the API stage."
  type        = bool
  default     = true
  nullable    = false
}
