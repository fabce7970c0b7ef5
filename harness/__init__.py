"""Test and operations harness for serverless-data-api: toolchain, emulator, stacks, audit."""
