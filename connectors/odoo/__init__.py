"""The Odoo connector: one client over JSON-2, JSON-RPC and XML-RPC."""
