"""Command line for people and CI: `python -m harness <command>` (see --help)."""

from __future__ import annotations

import argparse
import sys
import time

from harness.progress import say


def _toolchain(args: argparse.Namespace) -> int:
    from harness import toolchain

    chain = toolchain.ensure()
    if args.with_opentofu:
        from harness.toolchain import cli

        tofu = cli.build_opentofu()
        say("toolchain", f"OpenTofu {tofu.version_text} at {tofu.path}")
    exports = chain.export_lines()
    for extra in args.extras:
        exports.extend(_ensure_extra(extra))
    print("# Paste these lines to run the CLI and the linters by hand, offline:")
    print("\n".join(exports))
    return 0


def _ensure_extra(name: str) -> list[str]:
    """Install an extra tool set; return the export lines it needs (if any)."""
    if name == "lint":
        from harness.toolchain.lint_tools import ensure_lint_tools

        return ensure_lint_tools().export_lines()
    if name == "checkov":
        from harness.toolchain.checkov import ensure_checkov

        say("toolchain", f"checkov at {ensure_checkov()}")
        return []
    raise SystemExit(f"unknown toolchain extra {name!r}")  # argparse restricts the choices


def _emulator(_args: argparse.Namespace) -> int:
    from harness.emulator import running

    with running() as emulator:
        print("# The emulator is up. In another shell:")
        for key, value in emulator.client_env().items():
            print(f"export {key}={value}")
        print("# Ctrl-C stops it.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            say("emulator", "Ctrl-C: stopping")
    return 0


def _package(_args: argparse.Namespace) -> int:
    from harness import package

    path = package.build()
    print(f"{path}  ({path.stat().st_size} bytes, CodeSha256 {package.sha256_base64(path)})")
    return 0


def _up(args: argparse.Namespace) -> int:
    from harness.up import run_up

    return run_up(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    tool = commands.add_parser("toolchain", help="find or build the CLI, provider mirror and tools")
    tool.add_argument("--with-opentofu", action="store_true", help="also build OpenTofu")
    tool.add_argument(
        "--extra",
        dest="extras",
        action="append",
        default=[],
        choices=("lint", "checkov"),
        help="also install an extra tool set (repeatable)",
    )
    tool.set_defaults(handler=_toolchain)

    emu = commands.add_parser("emulator", help="run the embedded AWS emulator until Ctrl-C")
    emu.set_defaults(handler=_emulator)

    pkg = commands.add_parser("package", help="build the deterministic Lambda zip")
    pkg.set_defaults(handler=_package)

    up = commands.add_parser("up", help="bring the whole stack up (emulator by default)")
    from harness.up import add_arguments

    add_arguments(up)
    up.set_defaults(handler=_up)

    args = parser.parse_args(argv)
    from harness.toolchain.errors import ToolchainError

    try:
        return int(args.handler(args))
    except ToolchainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
