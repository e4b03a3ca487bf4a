"""Settings of the agent: the optional model endpoint and its limits."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr


class LLMSettings(BaseModel):
    """An OpenAI-compatible endpoint; with no `base_url` and `model`, none is used."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    """Endpoint base URL (`https://api.openai.com/v1`, `http://127.0.0.1:8080/v1`)."""
    model: str | None = None
    """Chat model name as the endpoint knows it."""
    api_key: SecretStr | None = None
    """Key sent as a bearer token; local servers accept any value."""
    embeddings_model: str | None = None
    """Embeddings model for the incident memory; none means the offline one."""
    timeout_s: float = 30.0
    """Seconds before one call is abandoned."""
    max_retries: int = 1
    """Retries of one call on connection errors, by the SDK."""
    max_output_tokens: int = 400
    """Cap on tokens the model may write per call."""
    max_tokens_per_day: int = 200_000
    """Prompt plus completion tokens allowed per UTC day; then no model is used."""
    max_tool_rounds: int = 3
    """Rounds of read-only tool calls allowed per question."""
    temperature: float = 0.0
    """Sampling temperature; 0 keeps answers repeatable."""

    @property
    def configured(self) -> bool:
        """Return whether a model endpoint is configured."""
        return bool(self.base_url and self.model)


class AgentSettings(BaseModel):
    """Settings of the agent jobs."""

    model_config = ConfigDict(extra="forbid")

    llm: LLMSettings = LLMSettings()
    """The optional model endpoint."""
    llm_confidence_threshold: float = 0.6
    """Below this confidence from rules and the model, the LLM is asked."""
    memory_dir: str | None = None
    """Where the incident memory lives; default: `chroma/` beside the database."""
    model_path: str = "var/triage_model.joblib"
    """Where `opsgate agent train` writes the retrained model; it wins when present."""
    checkpoint_url: str | None = None
    """Checkpointer: a `postgresql://` URL, or a SQLite path; default beside the DB."""
