# tflint configuration for terraform/ (run it with `./nox -s lint`, which builds tflint and the
# AWS ruleset from tools/ and sets TFLINT_PLUGIN_DIR; `tflint --init` is never needed).
config {
  # Lint the root stack together with every module it calls, with the values it passes them.
  call_module_type = "all"
  format           = "compact"
}

# The bundled Terraform language rules, recommended preset (deprecated syntax, unused
# declarations, missing version constraints, typed variables, ...).
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

# AWS provider rules (invalid instance/runtime/type values, missing tags, ...). The version must
# equal the one tools/tflint-ruleset-aws/go.mod pins; harness.toolchain.lint_tools checks it.
plugin "aws" {
  enabled = true
  version = "0.48.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}
