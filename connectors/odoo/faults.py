r"""Turn Odoo's faults, HTTP answers and httpx failures into `ConnectorError`s.

Every shape recorded from Odoo 18 and 19 lands here:

- JSON-2: an HTTP status (401, 403, 404, 415, 422, 500, ...) with the error
  body `{name, message, arguments, context, debug}` at the top level, or an
  HTML page (no database selected, wrong content type);
- JSON-RPC: HTTP 200 with `error.data.name` naming the exception class;
- XML-RPC `/xmlrpc/2`: integer fault codes (1 traceback, 2 user error, 3 access
  denied, 4 access error) whose text has lost the class, and the legacy
  `/xmlrpc` string codes (`"warning -- UserError\n\n..."`, `"AccessDenied"`);
- plain HTTP: 400 plain text, HTML where RPC was expected (a proxy error page,
  a login redirect), 429/502/503/504 with `Retry-After`;
- transport failures: timeouts and refused connections (`translate_httpx_errors`).

`OdooFault` is the one shape they are parsed into; `error_from_fault` classifies
it into the shared category vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from opsgate.connectors.errors import (
    RETRYABLE_CATEGORIES,
    ConnectorError,
    ErrorCategory,
    RetryLater,
)
from opsgate.connectors.odoo.errors import TARGET, OutcomeUncertain

_DEBUG_TAIL_CHARS = 4000
_BODY_CHARS = 2000


@dataclass(frozen=True)
class OdooFault:
    """The raw error from Odoo, in one shape whatever the protocol."""

    protocol: str
    """`json2`, `jsonrpc`, `xmlrpc` or `http` (an answer outside the protocol)."""
    http_status: int
    name: str | None
    """Exception class as Odoo names it (`odoo.exceptions.AccessError`), or as
    inferred from an XML-RPC fault code and message."""
    message: str
    fault_code: int | str | None = None
    debug: str | None = None
    """Tail of the server traceback, when Odoo sent one."""
    body: str | None = None
    """Start of a body that was not an RPC answer (HTML, plain text)."""
    retry_after_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the fault as plain data."""
        return {key: value for key, value in asdict(self).items() if value is not None}

    @property
    def short_name(self) -> str:
        """The class name without its module (`AccessError`)."""
        return (self.name or "HTTPError").rsplit(".", 1)[-1]


# --- parsing ------------------------------------------------------------------


def _tail(text: str | None) -> str | None:
    if not text:
        return None
    return text[-_DEBUG_TAIL_CHARS:]


def fault_from_error_body(
    body: Mapping[str, Any], *, protocol: str, http_status: int, code: Any = None
) -> OdooFault:
    """Parse JSON-2's top-level error body or JSON-RPC's `error.data`."""
    message = body.get("message")
    arguments = body.get("arguments")
    if not message and isinstance(arguments, list) and arguments:
        message = str(arguments[0])
    return OdooFault(
        protocol=protocol,
        http_status=http_status,
        name=str(body["name"]) if body.get("name") else None,
        message=str(message or ""),
        fault_code=code,
        debug=_tail(body.get("debug")),
    )


def fault_from_jsonrpc(
    error: Mapping[str, Any], *, http_status: int = 200
) -> OdooFault:
    """Parse the `error` member of a JSON-RPC answer."""
    data = error.get("data")
    if isinstance(data, Mapping) and data.get("name"):
        return fault_from_error_body(
            data, protocol="jsonrpc", http_status=http_status, code=error.get("code")
        )
    return OdooFault(
        protocol="jsonrpc",
        http_status=http_status,
        name=None,
        message=str(error.get("message", "")),
        fault_code=error.get("code"),
    )


_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*): ?(.*)$")
_LEGACY_WARNING = re.compile(r"^warning -- (\w+)\n\n(.*)$", re.DOTALL)
_XMLRPC_CODE_CLASS = {
    3: "odoo.exceptions.AccessDenied",
    4: "odoo.exceptions.AccessError",
}
_LEGACY_CLASS_MODULE = {
    "AccessDenied": "odoo.exceptions",
    "AccessError": "odoo.exceptions",
    "MissingError": "odoo.exceptions",
    "UserError": "odoo.exceptions",
    "ValidationError": "odoo.exceptions",
    "RedirectWarning": "odoo.exceptions",
}


def exception_from_traceback(traceback: str) -> tuple[str | None, str]:
    """Return (class, message) of the last exception a Python traceback names."""
    lines = traceback.rstrip("\n").split("\n")
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line[:1].isspace() or line.startswith(("Traceback", "During handling")):
            continue
        match = _EXCEPTION_LINE.match(line)
        if match and not line.startswith("The above exception"):
            message = "\n".join([match.group(2), *lines[index + 1 :]]).strip()
            return _qualified(match.group(1)), message
    return None, traceback.strip()


def _qualified(name: str) -> str:
    if "." in name:
        return name
    return f"{_LEGACY_CLASS_MODULE.get(name, 'builtins')}.{name}"


def fault_from_xmlrpc(
    fault_code: Any, fault_string: str, *, http_status: int = 200
) -> OdooFault:
    """Parse an XML-RPC fault, `/xmlrpc/2` integer or legacy string code."""
    if isinstance(fault_code, int):
        return _fault_from_xmlrpc_int(fault_code, fault_string, http_status)
    code = str(fault_code)
    name: str | None
    debug: str | None
    legacy = _LEGACY_WARNING.match(code)
    if legacy:
        name, message = _qualified(legacy.group(1)), legacy.group(2)
        debug = None
    elif code in _LEGACY_CLASS_MODULE:
        name, message, debug = _qualified(code), fault_string, None
    else:
        name, _ = exception_from_traceback(fault_string)
        message, debug = code, fault_string
    return OdooFault(
        protocol="xmlrpc",
        http_status=http_status,
        name=name,
        message=message.strip(),
        fault_code=code,
        debug=_tail(debug),
    )


def _fault_from_xmlrpc_int(code: int, text: str, http_status: int) -> OdooFault:
    if code == 1 and text.startswith("Traceback"):
        name, message = exception_from_traceback(text)
        debug: str | None = text
    elif code == 2:
        missing = "does not exist or has been deleted" in text
        name = (
            "odoo.exceptions.MissingError" if missing else "odoo.exceptions.UserError"
        )
        message, debug = text, None
    else:
        name, message, debug = _XMLRPC_CODE_CLASS.get(code), text, None
    return OdooFault(
        protocol="xmlrpc",
        http_status=http_status,
        name=name,
        message=message.strip(),
        fault_code=code,
        debug=_tail(debug),
    )


def retry_after_seconds(
    value: str | None, *, now: datetime | None = None
) -> float | None:
    """Parse a `Retry-After` header: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def fault_from_http(
    status: int, headers: Mapping[str, str], text: str, *, protocol: str = "http"
) -> OdooFault:
    """Describe an HTTP answer that is not an RPC answer (HTML, plain text)."""
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    paragraph = re.search(r"<p>(.*?)</p>", text, re.IGNORECASE | re.DOTALL)
    parts = [m.group(1).strip() for m in (title, paragraph) if m]
    message = re.sub(r"<[^>]+>", "", ": ".join(parts)) if parts else text.strip()
    return OdooFault(
        protocol=protocol,
        http_status=status,
        name=None,
        message=message[:500],
        body=text[:_BODY_CHARS],
        retry_after_s=retry_after_seconds(headers.get("retry-after")),
    )


# --- classification -------------------------------------------------------------

_MESSAGE_RULES: tuple[tuple[re.Pattern[str], ErrorCategory], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), category)
    for pattern, category in (
        (r"database \S+ does not exist|No database is selected", ErrorCategory.AUTH),
        (r"Invalid apikey|User not authenticated|Access Denied", ErrorCategory.AUTH),
        (r"Session expired", ErrorCategory.AUTH),
        (r"Too many login failures", ErrorCategory.RATE_LIMIT),
        (r"does not exist or has been deleted", ErrorCategory.MISSING_REFERENCE),
        (
            r"External ID not found|No matching record found",
            ErrorCategory.MISSING_REFERENCE,
        ),
        (
            r"Object \S+ doesn't exist|the model '.*' does not exist",
            ErrorCategory.SCHEMA_DRIFT,
        ),
        (
            r"The method '.*' does not exist|has no attribute|Method not found",
            ErrorCategory.SCHEMA_DRIFT,
        ),
        (r"Invalid field", ErrorCategory.SCHEMA_DRIFT),
        (
            r"unexpected keyword argument|required positional argument",
            ErrorCategory.SCHEMA_DRIFT,
        ),
        (
            r"missing a required argument|cannot call \S+ with ids",
            ErrorCategory.SCHEMA_DRIFT,
        ),
        (r"duplicate key|already exists|must be unique", ErrorCategory.DUPLICATE),
        (r"could not serialize access|concurrent update", ErrorCategory.UNAVAILABLE),
        (
            r"invalid literal|does not match format|unconverted data",
            ErrorCategory.VALIDATION,
        ),
        (
            r"not a valid|invalid input syntax|Invalid operator",
            ErrorCategory.VALIDATION,
        ),
    )
)

_CLASS_RULES: dict[str, ErrorCategory] = {
    "AccessDenied": ErrorCategory.AUTH,
    "Unauthorized": ErrorCategory.AUTH,
    "SessionExpiredException": ErrorCategory.AUTH,
    "AccessError": ErrorCategory.PERMISSION,
    "Forbidden": ErrorCategory.PERMISSION,
    "MissingError": ErrorCategory.MISSING_REFERENCE,
    "ValidationError": ErrorCategory.VALIDATION,
    "UserError": ErrorCategory.VALIDATION,
    "RedirectWarning": ErrorCategory.VALIDATION,
    "UnprocessableEntity": ErrorCategory.SCHEMA_DRIFT,
    "NotFound": ErrorCategory.SCHEMA_DRIFT,
    "AttributeError": ErrorCategory.SCHEMA_DRIFT,
    "KeyError": ErrorCategory.SCHEMA_DRIFT,
    "TypeError": ErrorCategory.SCHEMA_DRIFT,
    "InvalidTextRepresentation": ErrorCategory.VALIDATION,
    "UniqueViolation": ErrorCategory.DUPLICATE,
    "SerializationFailure": ErrorCategory.UNAVAILABLE,
    "OperationalError": ErrorCategory.UNAVAILABLE,
}

_STATUS_RULES: dict[int, ErrorCategory] = {
    401: ErrorCategory.AUTH,
    403: ErrorCategory.PERMISSION,
    404: ErrorCategory.SCHEMA_DRIFT,
    405: ErrorCategory.SCHEMA_DRIFT,
    415: ErrorCategory.SCHEMA_DRIFT,
    422: ErrorCategory.VALIDATION,
    429: ErrorCategory.RATE_LIMIT,
    500: ErrorCategory.UNAVAILABLE,
    502: ErrorCategory.UNAVAILABLE,
    503: ErrorCategory.UNAVAILABLE,
    504: ErrorCategory.UNAVAILABLE,
}

_MARSHAL_NONE = "cannot marshal None"
_HINTS: dict[ErrorCategory, str] = {
    ErrorCategory.AUTH: " Check odoo.database, odoo.login and odoo.api_key.",
    ErrorCategory.SCHEMA_DRIFT: " The server's models or API differ from what the"
    " connector expects; check the Odoo version and installed modules.",
}


def classify(fault: OdooFault) -> ErrorCategory:
    """Return the category of a fault: message first, then class, then status."""
    for pattern, category in _MESSAGE_RULES:
        if pattern.search(fault.message):
            return category
    if fault.name and fault.short_name in _CLASS_RULES:
        return _CLASS_RULES[fault.short_name]
    if fault.protocol == "http":
        return _classify_http(fault)
    return ErrorCategory.UNKNOWN


def _classify_http(fault: OdooFault) -> ErrorCategory:
    body = (fault.body or "").lower()
    if 300 <= fault.http_status < 400:
        return ErrorCategory.AUTH  # a login redirect by Odoo or a proxy
    if fault.http_status == 200 and "/web/login" in body:
        return ErrorCategory.AUTH  # the login page itself, where RPC was expected
    if fault.http_status == 400:
        return ErrorCategory.UNKNOWN
    return _STATUS_RULES.get(fault.http_status, ErrorCategory.UNKNOWN)


def error_from_fault(
    fault: OdooFault, *, operation: str, model: str | None = None
) -> ConnectorError:
    """Classify a fault and wrap it in the connector's typed error."""
    where = f"{model}.{operation}" if model else operation
    kwargs: dict[str, Any] = {
        "target": TARGET,
        "operation": operation,
        "model": model,
        "fault": fault.to_dict(),
    }
    if _MARSHAL_NONE in fault.message:
        return OutcomeUncertain(
            f"Odoo ran {where} but could not encode its None result over XML-RPC;"
            " the change may have been applied: read the record back before retrying.",
            **kwargs,
        )
    category = classify(fault)
    message = (
        f"Odoo {where} failed with {fault.short_name}"
        f" (HTTP {fault.http_status}): {_first_line(fault.message)!r}."
        f"{_HINTS.get(category, '')}"
    )
    if fault.retry_after_s is not None and category in RETRYABLE_CATEGORIES:
        return RetryLater(
            message, delay_s=fault.retry_after_s, category=category, **kwargs
        )
    return ConnectorError(
        message,
        category=category,
        retryable=category in RETRYABLE_CATEGORIES,
        **kwargs,
    )


def _first_line(message: str) -> str:
    line = message.strip().split("\n", 1)[0]
    return line if len(line) <= 300 else line[:297] + "..."


# --- the network edge -----------------------------------------------------------


@contextmanager
def translate_httpx_errors(
    target: str,
    operation: str,
    *,
    model: str | None = None,
    may_have_applied: bool = False,
) -> Iterator[None]:
    """Turn httpx exceptions raised inside the block into `ConnectorError`s.

    Args:
        target: The system named in the error (`odoo`).
        operation: The method or endpoint being called.
        model: The Odoo model, when there is one.
        may_have_applied: True for calls that change data: a failure after the
            request was sent then leaves the outcome uncertain.
    """
    where = f"{model}.{operation}" if model else operation
    kwargs: dict[str, Any] = {"target": target, "operation": operation, "model": model}
    try:
        yield
    except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise ConnectorError(
            f"Odoo {where} timed out before the request was sent ({type(exc).__name__}).",
            category=ErrorCategory.TIMEOUT,
            retryable=True,
            **kwargs,
        ) from exc
    except httpx.ConnectError as exc:
        raise ConnectorError(
            f"Odoo {where} could not connect: {str(exc)!r}.",
            category=ErrorCategory.UNAVAILABLE,
            retryable=True,
            **kwargs,
        ) from exc
    except (
        httpx.TimeoutException,
        httpx.NetworkError,
        httpx.RemoteProtocolError,
    ) as exc:
        category = (
            ErrorCategory.TIMEOUT
            if isinstance(exc, httpx.TimeoutException)
            else ErrorCategory.UNAVAILABLE
        )
        message = (
            f"Odoo {where} failed after the request was sent ({type(exc).__name__})."
        )
        if may_have_applied:
            raise OutcomeUncertain(
                message
                + " The change may have been applied: read back before retrying.",
                category=category,
                **kwargs,
            ) from exc
        raise ConnectorError(
            message, category=category, retryable=True, **kwargs
        ) from exc
    except httpx.HTTPError as exc:
        raise ConnectorError(
            f"Odoo {where} failed in the HTTP layer: {str(exc)!r}.",
            category=ErrorCategory.UNKNOWN,
            retryable=False,
            **kwargs,
        ) from exc
