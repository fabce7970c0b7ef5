"""Start the gateway on a free loopback port; stop it, its workers and its threads on exit."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from harness.gateway.app import PREFIX, Gateway
from harness.gateway.server import GatewayHTTPServer
from harness.progress import say
from harness.runtime.pool import DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_MAX_WORKERS

DEFAULT_RELOAD_SECONDS = 2.0


class RunningGateway:
    """Serving: ``base_url`` is ``http://127.0.0.1:PORT/<stage>``; ``stop()`` is idempotent."""

    def __init__(self, gateway: Gateway, server: GatewayHTTPServer, reload_seconds: float) -> None:
        self.gateway = gateway
        self._server = server
        self.port = int(server.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}/{gateway.stage}"
        self._stopped = threading.Event()
        self._serving = threading.Thread(
            target=server.serve_forever, name="gateway-http", daemon=True
        )
        self._serving.start()
        self._reloader: threading.Thread | None = None
        if reload_seconds > 0:
            self._reloader = threading.Thread(
                target=self._reload_forever,
                args=(reload_seconds,),
                name="gateway-reload",
                daemon=True,
            )
            self._reloader.start()

    def reload(self) -> bool:
        """Re-read the deployed config now (a background thread also does it periodically)."""
        return self.gateway.reload()

    def _reload_forever(self, interval: float) -> None:
        while not self._stopped.wait(interval):
            try:
                if self.gateway.reload():
                    say(PREFIX, "deployed configuration changed; now serving the new one")
            except Exception as exc:
                say(PREFIX, f"could not re-read the deployed configuration: {exc}")

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._server.shutdown()
        self._server.server_close()
        self._serving.join(timeout=5)
        if self._reloader is not None:
            self._reloader.join(timeout=35)
        self.gateway.close()
        say(PREFIX, f"stopped {self.base_url}")

    def __enter__(self) -> RunningGateway:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    *,
    endpoint: str,
    rest_api_id: str,
    stage: str,
    zip_path: Path | Sequence[Path],
    region: str = "us-east-1",
    account_id: str = "123456789012",
    host: str = "127.0.0.1",
    port: int = 0,
    reload_seconds: float = DEFAULT_RELOAD_SECONDS,
    account_concurrency: int = DEFAULT_ACCOUNT_CONCURRENCY,
    max_workers: int = DEFAULT_MAX_WORKERS,
    ship_logs: bool = True,
) -> RunningGateway:
    """Serve ``rest_api_id``/``stage`` from the emulator at ``endpoint``; raises CodeMismatchError
    when a function's CodeSha256 matches none of the zips."""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError("the gateway only binds loopback addresses")
    zips = [Path(zip_path)] if isinstance(zip_path, str | Path) else [Path(p) for p in zip_path]
    gateway = Gateway(
        endpoint=endpoint,
        rest_api_id=rest_api_id,
        stage=stage,
        zip_paths=zips,
        region=region,
        account_id=account_id,
        account_concurrency=account_concurrency,
        max_workers=max_workers,
        ship_logs=ship_logs,
    )
    try:
        server = GatewayHTTPServer(gateway, host, port)
    except BaseException:
        gateway.close()
        raise
    running = RunningGateway(gateway, server, reload_seconds)
    say(PREFIX, f"serving {running.base_url} (REST API {rest_api_id}, stage {stage})")
    return running
