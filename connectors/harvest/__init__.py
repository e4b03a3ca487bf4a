"""Harvest: the Detailed time report CSV export."""
