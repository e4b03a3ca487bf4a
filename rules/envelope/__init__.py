"""CloudEvents 1.0 envelopes for stored events."""
