"""HubSpot: app webhook subscriptions (CRM object events), verified and parsed."""
