variable "name" {
  description = "Prefix of the dashboard and alarm names (<name>-overview, <name>-lambda-errors, ...)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,200}$", var.name))
    error_message = "name must be 1-200 characters of letters, digits, '_' or '-'."
  }
}

variable "region" {
  description = "Region the dashboard's widgets read metrics from."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as us-east-1 or eu-west-3."
  }
}

variable "function_name" {
  description = "Name of the Lambda function to watch."
  type        = string
}

variable "rest_api_name" {
  description = "Name of the REST API to watch (API Gateway publishes metrics by ApiName)."
  type        = string
}

variable "stage_name" {
  description = "Stage of the REST API to watch."
  type        = string
}

variable "table_name" {
  description = "Name of the DynamoDB table to watch."
  type        = string
}

variable "enable_dashboard" {
  description = "Create the 8-widget CloudWatch dashboard ($3/month beyond the 3 free dashboards per account)."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_alarms" {
  description = "Create the 5 alarms (6 alarm metrics: free within CloudWatch's 10 free alarm metrics per account, $0.10 each per month beyond)."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic that receives alarm and OK notifications. null: alarms change state without notifying anyone."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<topic>) or null."
  }
}

variable "lambda_errors_threshold" {
  description = "Unhandled function errors in 5 minutes that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.lambda_errors_threshold >= 1
    error_message = "lambda_errors_threshold must be at least 1."
  }
}

variable "api_5xx_threshold" {
  description = "5XX responses in 5 minutes that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.api_5xx_threshold >= 1
    error_message = "api_5xx_threshold must be at least 1."
  }
}

variable "latency_p99_threshold_ms" {
  description = "API p99 latency (ms) that, held for 15 minutes, raises the alarm."
  type        = number
  default     = 2000
  nullable    = false

  validation {
    condition     = var.latency_p99_threshold_ms > 0
    error_message = "latency_p99_threshold_ms must be greater than 0."
  }
}

variable "tags" {
  description = "Tags for the alarms (dashboards cannot be tagged)."
  type        = map(string)
  default     = {}
  nullable    = false
}
