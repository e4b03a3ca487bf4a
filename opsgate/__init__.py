"""Opsgate: governed integration between Odoo and the systems around it."""

__version__ = "0.1.0"
