"""Thin, tested additions to moto for behaviour AWS documents and moto lacks.

Each module exposes ``install()``, which patches moto in this process; the emulator
process calls ``install_all()`` before serving, and unit tests may call one ``install()``
under ``moto.mock_aws``. Installing twice is harmless.
"""

from __future__ import annotations

import importlib

EXTENSIONS: tuple[str, ...] = (
    "iam_simulate",
    "lambda_public_layers",
    "apigateway_tags",
    "lambda_function_configuration",
)


def install_all() -> None:
    for name in EXTENSIONS:
        module = importlib.import_module(f"{__name__}.{name}")
        module.install()
