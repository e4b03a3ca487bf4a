"""Exceptions the stand-in raises, shaped like the ones a real Odoo sends.

Each class carries what the three wire formats need to render it as the
recordings show: the dotted exception name (JSON-RPC `data.name`, the JSON-2
`name`), the XML-RPC `faultCode` (1 for anything that is not an Odoo
exception, with a traceback as `faultString`) and the JSON-2 HTTP status.

    OdooFault
     ├── UserError          (xmlrpc 2, json2 422)
     │    ├── ValidationError
     │    └── MissingError  (json2 404)
     ├── AccessError        (xmlrpc 4, json2 403)
     ├── AccessDenied       (xmlrpc 3)
     ├── PythonFault        (xmlrpc 1, json2 500: ValueError, KeyError, ...)
     └── HttpFault          (werkzeug exceptions of the JSON-2 router, json2 only)
"""

from __future__ import annotations

_TRACEBACK_HEAD = (
    "Traceback (most recent call last):\n"
    '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 156,'
    " in retrying\n"
    "    result = func()\n"
    "             ^^^^^^\n"
    '  File "/usr/lib/python3/dist-packages/odoo/api.py", line 533, in call_kw\n'
    "    result = getattr(recs, name)(*args, **kwargs)\n"
    "             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
)


class OdooFault(Exception):
    """Raised when an Odoo call fails; rendered by each wire format."""

    name = "odoo.exceptions.UserError"
    xmlrpc_code = 2
    json2_status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def arguments(self) -> list[object]:
        """The exception's `args` as Odoo serialises them."""
        return [self.message]

    @property
    def traceback_last_line(self) -> str:
        """The last line of the traceback: class and message."""
        return f"{self.name}: {self.message}"

    @property
    def debug(self) -> str:
        """A traceback in the shape of the recorded `debug` strings."""
        return f"{_TRACEBACK_HEAD}{self.traceback_last_line}\n"

    @property
    def fault_string(self) -> str:
        """The XML-RPC `faultString`: the message, or a traceback for code 1."""
        return self.debug if self.xmlrpc_code == 1 else self.message


class UserError(OdooFault):
    """Raised when a business rule refuses the call."""


class ValidationError(UserError):
    """Raised when a constraint (Python, NOT NULL, SQL CHECK) fails."""

    name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    """Raised when a record does not exist or has been deleted."""

    name = "odoo.exceptions.MissingError"
    json2_status = 404

    @classmethod
    def for_records(cls, model: str, ids: list[int], uid: int) -> MissingError:
        """Build the recorded message naming the model, the ids and the user."""
        id_text = "".join(f"{record_id}," for record_id in ids)
        return cls(
            "Record does not exist or has been deleted.\n"
            f"(Record: {model}({id_text}), User: {uid})"
        )


class AccessError(OdooFault):
    """Raised when access rights or a record rule refuse the call."""

    name = "odoo.exceptions.AccessError"
    xmlrpc_code = 4
    json2_status = 403


class AccessDenied(OdooFault):
    """Raised when the key or password is wrong."""

    name = "odoo.exceptions.AccessDenied"
    xmlrpc_code = 3
    json2_status = 401

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class PythonFault(OdooFault):
    """Raised for a plain Python exception escaping the ORM (ValueError, ...)."""

    xmlrpc_code = 1
    json2_status = 500

    def __init__(self, exc_type: str, message: str) -> None:
        super().__init__(message)
        self.exc_type = exc_type
        self.name = exc_type if "." in exc_type else f"builtins.{exc_type}"

    @property
    def traceback_last_line(self) -> str:
        """Builtins show the bare class name, others the dotted one."""
        short = self.name.removeprefix("builtins.")
        text = repr(self.message) if short == "KeyError" else self.message
        return f"{short}: {text}"


def value_error(message: str) -> PythonFault:
    """Return a `builtins.ValueError` fault."""
    return PythonFault("ValueError", message)


def type_error(message: str) -> PythonFault:
    """Return a `builtins.TypeError` fault."""
    return PythonFault("TypeError", message)


class HttpFault(OdooFault):
    """Raised by the JSON-2 router and argument check (werkzeug exceptions)."""

    xmlrpc_code = 1

    _TITLES = {
        400: ("BadRequest", "Bad Request"),
        401: ("Unauthorized", "Unauthorized"),
        404: ("NotFound", "Not Found"),
        422: ("UnprocessableEntity", "Unprocessable Entity"),
    }

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.json2_status = status
        class_name, self.title = self._TITLES[status]
        self.name = f"werkzeug.exceptions.{class_name}"

    @property
    def arguments(self) -> list[object]:
        """Werkzeug exceptions end their arguments with the status."""
        return [self.message, self.json2_status]

    @property
    def traceback_last_line(self) -> str:
        """Werkzeug prints the status and title before the message."""
        return f"{self.name}: {self.json2_status} {self.title}: {self.message}"


def as_fault(exc: Exception) -> OdooFault:
    """Any exception as the fault Odoo would send for it (a Python error: 500 / 1)."""
    if isinstance(exc, OdooFault):
        return exc
    module = type(exc).__module__
    prefix = "builtins" if module == "builtins" else module
    return PythonFault(f"{prefix}.{type(exc).__name__}", str(exc))
