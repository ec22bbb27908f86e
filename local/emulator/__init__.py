"""Test-only helpers that run the local AWS emulator (moto server) for the collection's tests."""
