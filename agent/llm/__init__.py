"""The boundary between Opsgate and any language model.

Everything that reaches a model passes here: masked, fenced as data, within
the day's token budget, with read-only tools only, validated on the way back
and audited. Callers get a validated pydantic object or `None`, and fall back
to their deterministic result on `None`.
"""

from opsgate.agent.llm.client import LLMClient, LLMReply
from opsgate.agent.llm.masking import Masker
from opsgate.agent.llm.tools import ReadOnlyTool, ToolResult

__all__ = ["LLMClient", "LLMReply", "Masker", "ReadOnlyTool", "ToolResult"]
