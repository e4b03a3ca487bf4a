"""Salesforce: outbound messages (SOAP) and Change Data Capture events."""
