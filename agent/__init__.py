"""The triage agent: classify, assess, propose, summarise, answer."""
