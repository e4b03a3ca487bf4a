"""Stripe: event webhooks (invoices and payments), verified and parsed."""
