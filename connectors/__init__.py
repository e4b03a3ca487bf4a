"""Connectors: clients that speak to Odoo and the peer systems."""
