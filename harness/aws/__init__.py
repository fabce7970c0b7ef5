"""Read-only helpers per AWS service returning plain values, so tests never parse boto3 responses.

Each takes a ``Target``, so the same call works on the emulator and on real AWS.
"""
