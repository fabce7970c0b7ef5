"""Where things live: the repository and the per-user cache shared by every clone."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_DIR = REPO_ROOT / "terraform"
LAMBDA_SRC_DIR = REPO_ROOT / "lambda"
TOOLS_DIR = REPO_ROOT / "tools"
BUILD_DIR = REPO_ROOT / "build"

CACHE_ENV_VAR = "SDA_CACHE_DIR"


def cache_dir() -> Path:
    """The cache shared by every clone on this machine.

    ``$SDA_CACHE_DIR`` wins; otherwise ``$XDG_CACHE_HOME/serverless-data-api`` or
    ``~/.cache/serverless-data-api``. Created on first use.
    """
    override = os.environ.get(CACHE_ENV_VAR)
    if override:
        root = Path(override).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
        root = base / "serverless-data-api"
    root.mkdir(parents=True, exist_ok=True)
    return root


def logs_dir() -> Path:
    path = cache_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
