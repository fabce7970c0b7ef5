"""The one exception the toolchain raises: a single line saying what failed and what to do."""


class ToolchainError(RuntimeError):
    """Raised with a one-line, actionable message (what failed, then what to do next)."""
