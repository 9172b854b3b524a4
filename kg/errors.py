"""Errors the CLI reports as one clear line."""


class StoreError(RuntimeError):
    """The graph store cannot be opened or used (server down, bad credentials, locked folder)."""
