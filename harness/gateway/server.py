"""HTTP on loopback in front of a Gateway: ``/<stage>/<path>`` in, the gateway's answer out."""

from __future__ import annotations

from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from harness.gateway.app import MAX_PAYLOAD_BYTES, Gateway
from harness.gateway.events import GatewayRequest
from harness.gateway.responses import GatewayError, HttpResponse

# Beyond this we stop reading an oversized body and drop the connection instead.
_MAX_DRAIN_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 16


class _TooLarge(Exception):
    def __init__(self, drained: bool) -> None:
        super().__init__("payload too large")
        self.drained = drained


class GatewayHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # A burst of concurrent clients must queue, not be refused by the kernel.
    request_queue_size = 128

    def __init__(self, gateway: Gateway, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _RequestHandler)
        self.gateway = gateway


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without TCP_NODELAY, Nagle + delayed ACK add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    server: GatewayHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: per-request lines would drown the progress output."""

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_PAYLOAD_BYTES:
            if length > _MAX_DRAIN_BYTES:
                raise _TooLarge(drained=False)
            remaining = length
            while remaining > 0:
                got = self.rfile.read(min(_CHUNK, remaining))
                if not got:
                    break
                remaining -= len(got)
            raise _TooLarge(drained=True)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(body)
            if len(body) + size > MAX_PAYLOAD_BYTES:
                raise _TooLarge(drained=False)
            body += self.rfile.read(size)
            self.rfile.readline()

    def _serve(self) -> None:
        gateway = self.server.gateway
        target = urlsplit(self.path)
        stage, _, rest = target.path.lstrip("/").partition("/")
        try:
            body = self._read_body()
        except _TooLarge as exc:
            self.close_connection = not exc.drained
            self._write(GatewayError.REQUEST_TOO_LARGE.response())
            return
        if stage != gateway.stage:
            self._write(GatewayError.FORBIDDEN.response())
            return
        request = GatewayRequest(
            method=self.command,
            path="/" + rest,
            query=target.query,
            headers=list(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
            protocol=self.request_version,
            port=self.server.server_address[1],
        )
        self._write(gateway.handle(request))

    def _write(self, response: HttpResponse) -> None:
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        lines = [
            f"{self.protocol_version} {response.status} {phrase}",
            f"Date: {formatdate(usegmt=True)}",
        ]
        lines += [
            f"{name}: {value}"
            for name, value in response.headers
            if name.lower() not in {"content-length", "connection", "transfer-encoding", "date"}
        ]
        lines.append(f"Content-Length: {len(response.body)}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        # Status line, headers and body in one write: one segment for small answers.
        self.wfile.write(head + (b"" if self.command == "HEAD" else response.body))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve
