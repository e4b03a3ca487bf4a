"""Jira Cloud: issue, comment and worklog webhooks (support desk; inform impact)."""
