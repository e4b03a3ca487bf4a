"""Inbound webhook protocols: signature schemes, independent of any business rule."""
