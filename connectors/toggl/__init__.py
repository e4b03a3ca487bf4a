"""Toggl Track: the Detailed report CSV export."""
