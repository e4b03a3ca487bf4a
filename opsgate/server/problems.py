"""RFC 9457 problem details: every refusal says what is wrong, as JSON."""

from __future__ import annotations

from typing import Any

import orjson
import structlog
from fastapi import Request
from fastapi.responses import Response

log = structlog.get_logger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    """Raised by a handler to answer with a problem+json body."""

    def __init__(
        self, status: int, slug: str, title: str, detail: str, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extra = extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        """Return the problem document."""
        document: dict[str, Any] = {
            "type": f"/problems/{self.slug}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            document["instance"] = instance
        document.update(self.extra)
        return document


def problem_response(problem: Problem, instance: str | None = None) -> Response:
    """Return the HTTP response for `problem`."""
    return Response(
        orjson.dumps(problem.body(instance)),
        status_code=problem.status,
        media_type=PROBLEM_CONTENT_TYPE,
    )


async def handle_problem(request: Request, exc: Exception) -> Response:
    """FastAPI exception handler: a `Problem` as itself, anything else as a 500."""
    if not isinstance(exc, Problem):
        log.error("request.failed", path=request.url.path, error=repr(exc))
    problem = (
        exc
        if isinstance(exc, Problem)
        else Problem(500, "internal", "Internal error", "The server failed to answer.")
    )
    return problem_response(problem, request.url.path)
