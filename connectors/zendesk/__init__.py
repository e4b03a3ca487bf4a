"""Zendesk: event webhooks (support desk; they inform impact, nothing is written)."""
