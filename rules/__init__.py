"""The integration engine: canonical objects, rules, delivery, store, gate."""
