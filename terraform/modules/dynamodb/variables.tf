variable "name" {
  description = "Name of the DynamoDB table. 3-255 characters: letters, digits, underscore, hyphen and dot."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "The table name must be 3-255 characters of letters, digits, '_', '-' or '.'."
  }
}

variable "point_in_time_recovery" {
  description = "Keep continuous backups for 35 days (point-in-time recovery). Leave on in every environment that holds real data."
  type        = bool
  default     = true
  nullable    = false
}

variable "deletion_protection" {
  description = "Refuse DeleteTable while true. Off by default so that destroy leaves nothing behind; turn it on in production."
  type        = bool
  default     = false
  nullable    = false
}

variable "tags" {
  description = "Tags for the table (merged with the provider's default_tags by the AWS provider)."
  type        = map(string)
  default     = {}
  nullable    = false
}
