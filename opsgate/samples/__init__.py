"""Sample inputs shipped with Opsgate, for `opsgate run --once` and `opsgate push`."""
