"""Publish: relay mapped events from the store to the event backbone (NATS JetStream)."""
