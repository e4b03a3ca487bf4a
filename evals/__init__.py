"""Evaluation harness and labelled cases for the agent."""
