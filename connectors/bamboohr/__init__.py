"""BambooHR: employee webhooks, roster exports and the employees REST API."""
