"""HubSpot: deal and company webhooks, and the CRM REST API."""
