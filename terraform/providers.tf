# The provider AWS users get: region and tags only. Credentials come from the usual chain
# (environment, profile, SSO, OIDC role). The test harness points it at the emulator with an
# override file it writes into its own working copy; nothing here knows about that.
provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
