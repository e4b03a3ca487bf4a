"""The routing stage: map accepted events, check ownership, create their deliveries."""
