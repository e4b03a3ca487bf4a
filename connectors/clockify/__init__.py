"""Clockify: the Detailed report CSV export."""
