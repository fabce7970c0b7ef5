variable "function_name" {
  description = "Name of the Lambda function (1-64 characters: letters, digits, '_' and '-')."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "The function name must be 1-64 characters of letters, digits, '_' or '-'."
  }
}

variable "description" {
  description = "Description shown on the function."
  type        = string
  default     = "Items CRUD API behind API Gateway"
  nullable    = false

  validation {
    condition     = length(var.description) <= 256
    error_message = "The description must be at most 256 characters."
  }
}

variable "role_arn" {
  description = "ARN of the execution role the function assumes."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.role_arn))
    error_message = "role_arn must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)."
  }
}

variable "package_path" {
  description = "Path to the deployment zip (our code only; Powertools and pydantic come from the layer)."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must point to a .zip file."
  }
}

variable "region" {
  description = "Region the function runs in; selects the regional copy of the AWS-managed Powertools layer."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as us-east-1 or eu-west-3."
  }
}

variable "powertools_layer_arn" {
  description = "Layer version ARN that provides aws-lambda-powertools and pydantic. null selects the AWS-managed Powertools v3 layer (python3.12, arm64) in var.region."
  type        = string
  default     = null

  validation {
    condition     = var.powertools_layer_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.powertools_layer_arn))
    error_message = "powertools_layer_arn must be a layer version ARN (arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>) or null."
  }
}

variable "powertools_layer_version" {
  description = "Version of the AWS-managed Powertools v3 layer used when powertools_layer_arn is null. Match it to the Powertools version the handler is tested with (see the Powertools docs' layer table)."
  type        = number
  default     = 27
  nullable    = false

  validation {
    condition     = var.powertools_layer_version >= 1 && floor(var.powertools_layer_version) == var.powertools_layer_version
    error_message = "powertools_layer_version must be a positive whole number."
  }
}

variable "table_name" {
  description = "DynamoDB table the handler uses (TABLE_NAME)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "The table name must be 3-255 characters of letters, digits, '_', '-' or '.'."
  }
}

variable "service_name" {
  description = "Powertools service name (POWERTOOLS_SERVICE_NAME): the service dimension of logs, metrics and traces."
  type        = string
  default     = "items-api"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,64}$", var.service_name))
    error_message = "service_name must be 1-64 characters of letters, digits, '_', '-' or '.'."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the handler's Powertools metrics (POWERTOOLS_METRICS_NAMESPACE)."
  type        = string
  default     = "ServerlessDataApi"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_./#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 characters of letters, digits and _./#:- and must not start with 'AWS/'."
  }
}

variable "log_level" {
  description = "Powertools log level (POWERTOOLS_LOG_LEVEL)."
  type        = string
  default     = "INFO"
  nullable    = false

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], var.log_level)
    error_message = "log_level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL."
  }
}

variable "idempotency_ttl_seconds" {
  description = "How long a POST's Idempotency-Key is remembered (IDEMPOTENCY_TTL_SECONDS)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.idempotency_ttl_seconds >= 60 && var.idempotency_ttl_seconds <= 604800
    error_message = "idempotency_ttl_seconds must be between 60 (one minute) and 604800 (seven days)."
  }
}

variable "memory_mb" {
  description = "Memory in MB (CPU scales with it)."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240 && floor(var.memory_mb) == var.memory_mb
    error_message = "memory_mb must be a whole number between 128 and 10240."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds. API Gateway gives up after 29 s, so more than that only wastes money."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 29 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number between 1 and 29 (API Gateway's integration timeout)."
  }
}

variable "reserved_concurrency" {
  description = "Concurrency reserved for (and capped at) this function. null leaves it unreserved; 0 disables the function."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || (try(var.reserved_concurrency >= 0 && floor(var.reserved_concurrency) == var.reserved_concurrency, false))
    error_message = "reserved_concurrency must be null (unreserved) or a whole number >= 0."
  }
}

variable "tracing_enabled" {
  description = "Active X-Ray tracing (the execution role must allow the X-Ray write actions)."
  type        = bool
  default     = true
  nullable    = false
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

variable "tags" {
  description = "Tags for the function and its log group (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
  nullable    = false
}
