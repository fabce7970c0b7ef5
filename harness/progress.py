"""Phase-by-phase progress lines with elapsed time, so long work is never silent."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_START = time.monotonic()


def say(prefix: str, message: str) -> None:
    elapsed = time.monotonic() - _START
    print(f"[{prefix:<9} {elapsed:7.1f}s] {message}", file=sys.stderr, flush=True)


@contextmanager
def phase(prefix: str, title: str, heartbeat_seconds: float = 30.0) -> Iterator[None]:
    """Announce a phase, print a heartbeat while it runs, and report how long it took."""
    say(prefix, f"{title} ...")
    started = time.monotonic()
    done = threading.Event()

    def beat() -> None:
        while not done.wait(heartbeat_seconds):
            say(prefix, f"{title}: still working ({time.monotonic() - started:.0f}s)")

    ticker = threading.Thread(target=beat, daemon=True)
    ticker.start()
    try:
        yield
    except BaseException:
        say(prefix, f"{title}: FAILED after {time.monotonic() - started:.1f}s")
        raise
    finally:
        done.set()
    say(prefix, f"{title}: done in {time.monotonic() - started:.1f}s")
