"""Entry point of the emulator process: moto's WSGI app with our extensions installed.

Run by harness.emulator.process, never imported by tests. It binds port 0 (so two emulators
never race for a port), then writes the port it got to the ready file.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from werkzeug.serving import make_server


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--ready-file", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("the emulator only binds loopback addresses")

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    from harness.emulator.extensions import install_all

    install_all()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(args.host, 0, app, threaded=True, request_handler=MotoRequestHandler)
    # moto builds some URLs (Lambda code locations, S3 redirects) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(server.port)

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    partial = args.ready_file.with_suffix(".partial")
    partial.write_text(json.dumps({"port": server.port, "pid": os.getpid()}))
    partial.replace(args.ready_file)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
