"""Read-only tools over the store that a model may be given."""
