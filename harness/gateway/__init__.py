"""A local API Gateway (REST API) data plane serving what Terraform deployed into the emulator.

    from harness.gateway import serve

    with serve(endpoint=emu.endpoint, rest_api_id=api_id, stage="v1", zip_path=zip_path) as gw:
        requests.get(f"{gw.base_url}/items", headers={"x-api-key": key})

``serve`` reads the REST API, stage, usage plans, keys and the Lambda functions behind AWS_PROXY
integrations from the emulator, refuses to start when a function's CodeSha256 is not the zip's,
binds 127.0.0.1 on a free port, re-reads the configuration every few seconds (or on
``gw.reload()``), and stops its worker processes on ``stop()``/exit.
"""

from harness.gateway.app import Gateway
from harness.gateway.config import ConfigError, GatewayConfig, load_gateway_config
from harness.gateway.serve import RunningGateway, serve

__all__ = [
    "ConfigError",
    "Gateway",
    "GatewayConfig",
    "RunningGateway",
    "load_gateway_config",
    "serve",
]
