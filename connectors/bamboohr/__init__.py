"""BambooHR: employee webhooks (event-based and field-based), verified and parsed."""
