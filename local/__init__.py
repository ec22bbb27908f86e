"""The local layer: `make demo`'s plays and the AWS emulator (local/emulator) that tests use too."""
