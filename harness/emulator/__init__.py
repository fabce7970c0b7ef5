"""The embedded AWS: moto server plus our extensions, on loopback, started and stopped by PID."""

from harness.emulator.process import (
    EMULATOR_ACCOUNT_ID,
    EMULATOR_REGION,
    Emulator,
    EmulatorError,
    running,
    start,
)

__all__ = [
    "EMULATOR_ACCOUNT_ID",
    "EMULATOR_REGION",
    "Emulator",
    "EmulatorError",
    "running",
    "start",
]
