"""Every command a person, CI or a GitHub workflow runs. Session names are a contract.

Run through the ./nox wrapper, which builds .venv from requirements/dev.lock: sessions use
that one pinned environment (venv_backend="none") instead of installing per session.

    ./nox -s up          bring the stack up on the embedded emulator (the main job)
    ./nox                the test suite: lint, unit, policy, e2e
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "unit", "policy", "e2e"]
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = False

PYTHON_PATHS = ["harness", "lambda", "tests", "benchmarks", "conftest.py", "noxfile.py"]


@nox.session(venv_backend="none")
def toolchain(session: nox.Session) -> None:
    """Find or build the CLI, provider mirror and tools; print the export lines."""
    session.run(
        "python",
        "-m",
        "harness",
        "toolchain",
        "--with-opentofu",
        "--extra",
        "lint",
        "--extra",
        "checkov",
        *session.posargs,
    )


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff, mypy, terraform fmt, tflint, actionlint, module docs freshness."""
    session.run("ruff", "check", *PYTHON_PATHS)
    session.run("ruff", "format", "--check", *PYTHON_PATHS)
    session.run("mypy")
    session.run("python", "-m", "harness.lint", "all")


@nox.session(venv_backend="none")
def unit(session: nox.Session) -> None:
    """No stack: handler (moto in-process), gateway/runtime over loopback HTTP, emulator
    extensions, toolchain, terraform fmt/validate/bad input. Handler coverage >= 90% enforced."""
    session.run(
        "pytest",
        "tests/unit",
        "tests/integration",
        "-n",
        "auto",
        "--cov",
        "--cov-report=term-missing",
        *session.posargs,
    )


@nox.session(venv_backend="none")
def e2e(session: nox.Session) -> None:
    """Ephemeral stacks through the deployed API: `./nox -s e2e -- --target aws` for AWS."""
    session.run("pytest", "tests/e2e", "-n", "2", "--dist", "loadfile", *session.posargs)


@nox.session(venv_backend="none")
def policy(session: nox.Session) -> None:
    """Golden IAM policy from the plan, and Checkov over terraform/ (gates merges)."""
    session.run("pytest", "tests/policy", *session.posargs)


@nox.session(venv_backend="none")
def up(session: nox.Session) -> None:
    """The main job: the whole stack on the embedded emulator (or `-- --target aws`)."""
    session.run("python", "-m", "harness", "up", *session.posargs)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Speed figures, side by side: handler cold/warm vs bare boto3, gateway vs in-process."""
    session.run("python", "-m", "benchmarks.handler_bench", *session.posargs)
    session.run("python", "-m", "benchmarks.gateway_bench", *session.posargs)


@nox.session(venv_backend="none")
def cost(session: nox.Session) -> None:
    """Idle monthly cost and marginal cost per million requests, from a plan."""
    session.run("python", "-m", "harness.cost", *session.posargs)


@nox.session(venv_backend="none")
def audit(session: nox.Session) -> None:
    """Orphan audit: fail when a stack left resources behind (`-- --prefix sda --region R`)."""
    session.run("python", "-m", "harness.audit", *session.posargs)


@nox.session(venv_backend="none")
def docs(session: nox.Session) -> None:
    """Regenerate the terraform-docs sections of the module READMEs (`-- --check` to verify)."""
    session.run("python", "-m", "harness.docs", *session.posargs)
