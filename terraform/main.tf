locals {
  # Every derived name starts from name_prefix, here and only here.
  names = {
    table     = "${var.name_prefix}-items"
    function  = "${var.name_prefix}-items-api"
    role      = "${var.name_prefix}-items-api"
    api       = "${var.name_prefix}-api"
    dashboard = var.name_prefix
  }

  # The fixed keys win over var.tags: the audit finds this stack's resources by Stack.
  tags = merge(var.tags, {
    Project     = "serverless-data-api"
    Stack       = var.name_prefix
    Environment = var.environment
    ManagedBy   = "terraform"
  })
}

module "dynamodb" {
  source = "./modules/dynamodb"

  name                   = local.names.table
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  tags                   = local.tags
}

module "iam" {
  source = "./modules/iam"

  role_name       = local.names.role
  function_name   = local.names.function
  table_arn       = module.dynamodb.table_arn
  log_group_arn   = module.lambda.log_group_arn
  tracing_enabled = var.tracing_enabled
  tags            = local.tags
}

module "lambda" {
  source = "./modules/lambda"

  function_name        = local.names.function
  role_arn             = module.iam.role_arn
  package_path         = var.lambda_package_path
  region               = var.region
  powertools_layer_arn = var.powertools_layer_arn
  table_name           = module.dynamodb.table_name
  memory_mb            = var.lambda_memory_mb
  timeout_seconds      = var.lambda_timeout_seconds
  reserved_concurrency = var.reserved_concurrency
  tracing_enabled      = var.tracing_enabled
  log_retention_days   = var.log_retention_days
  tags                 = local.tags
}

module "api_gateway" {
  source = "./modules/api_gateway"

  name                 = local.names.api
  lambda_function_name = module.lambda.function_name
  lambda_invoke_arn    = module.lambda.invoke_arn
  stage_name           = var.stage_name
  clients              = var.clients
  tracing_enabled      = var.tracing_enabled
  tags                 = local.tags
}

module "monitoring" {
  source = "./modules/monitoring"

  name                = local.names.dashboard
  region              = var.region
  function_name       = module.lambda.function_name
  rest_api_name       = module.api_gateway.rest_api_name
  stage_name          = module.api_gateway.stage_name
  table_name          = module.dynamodb.table_name
  enable_dashboard    = var.enable_dashboard
  enable_alarms       = var.enable_alarms
  alarm_sns_topic_arn = var.alarm_sns_topic_arn
  tags                = local.tags
}
