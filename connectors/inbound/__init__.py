"""What every peer's inbound side shares: the request, the record, the errors."""
