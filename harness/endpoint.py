"""The base URL a client calls for a deployed stack, whichever the target.

On AWS it is the stage's invoke URL. On the emulator, moto cannot serve a stage, so the local
API Gateway data plane serves the deployed REST API for as long as the block runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness.target import Target


@contextmanager
def api_base_url(target: Target, outputs: Mapping[str, Any], zip_path: Path) -> Iterator[str]:
    if target.emulator is None:
        yield str(outputs["api_base_url"])
        return
    from harness.gateway import serve

    with serve(
        endpoint=target.emulator.endpoint,
        rest_api_id=str(outputs["rest_api_id"]),
        stage=str(outputs["stage_name"]),
        zip_path=zip_path,
        region=target.region,
        account_id=target.emulator.account_id,
    ) as gateway:
        yield gateway.base_url
