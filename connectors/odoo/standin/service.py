"""The stand-in's server state: version, database, users and keys.

`OdooService` is what the three wire formats share. It authenticates (an API
key or password works as the password of `common.authenticate` and
`execute_kw`, and as the JSON-2 bearer token), opens one transaction per call
and runs it through `dispatch`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import structlog

from opsgate.connectors.odoo.standin import (  # noqa: F401 - they register behaviours
    accounting,
    invoicing,
    partners,
    projects,
    sales,
)
from opsgate.connectors.odoo.standin.dispatch import call_json2, execute_kw
from opsgate.connectors.odoo.standin.faults import AccessDenied, PythonFault
from opsgate.connectors.odoo.standin.orm import ADMIN_UID, Env
from opsgate.connectors.odoo.standin.seed import seed
from opsgate.connectors.odoo.standin.store import Database

log = structlog.get_logger(__name__)

VERSION_INFO = {
    18: {
        "server_version": "18.0-20250702",
        "server_version_info": [18, 0, 0, "final", 0, ""],
        "server_serie": "18.0",
        "protocol_version": 1,
    },
    19: {
        "server_version": "19.0",
        "server_version_info": [19, 0, 0, "final", 0, ""],
        "server_serie": "19.0",
        "protocol_version": 1,
    },
}
DEMO_UID = {18: 6, 19: 5}


@dataclass
class User:
    """A user who can call the API."""

    uid: int
    login: str
    password: str
    is_admin: bool
    api_keys: list[str] = field(default_factory=list)


class OdooService:
    """One stand-in server: a database and the users allowed into it."""

    def __init__(
        self,
        *,
        version: int = 19,
        database: str = "standin",
        admin_api_key: str | None = None,
        demo_api_key: str | None = None,
    ) -> None:
        if version not in VERSION_INFO:
            raise ValueError(f"The stand-in plays Odoo 18 or 19, not {version!r}.")
        self.version = version
        self.database = database
        self.db = self._fresh_database()
        self.admin = User(
            ADMIN_UID, "admin", "admin", True, [admin_api_key or secrets.token_hex(20)]
        )
        self.demo = User(
            DEMO_UID[version],
            "demo",
            "demo",
            False,
            [demo_api_key or secrets.token_hex(20)],
        )

    def _fresh_database(self) -> Database:
        db = Database()
        seed(db, version=self.version, demo_uid=DEMO_UID[self.version])
        return db

    def reset(self) -> None:
        """Forget every change: back to the seeded demo records."""
        with self.db.lock:
            self.db = self._fresh_database()

    @property
    def users(self) -> list[User]:
        """Everyone who may log in."""
        return [self.admin, self.demo]

    @property
    def version_info(self) -> dict[str, Any]:
        """What `common.version` answers."""
        return dict(VERSION_INFO[self.version])

    def check_database(self, name: str) -> None:
        """Refuse a database that does not exist, as psycopg2 does."""
        if name != self.database:
            raise PythonFault(
                "psycopg2.OperationalError",
                'connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
                f'database "{name}" does not exist\n',
            )

    def authenticate(self, database: str, login: str, password: str) -> int | bool:
        """Return the uid, or False for a wrong login, key or password."""
        self.check_database(database)
        for user in self.users:
            if user.login == login and (
                password == user.password or password in user.api_keys
            ):
                return user.uid
        return False

    def user_for_key(self, key: str) -> User | None:
        """Return the user owning an API key (JSON-2 bearer)."""
        return next((u for u in self.users if key in u.api_keys), None)

    def _user(self, uid: Any, password: Any) -> User:
        for user in self.users:
            if user.uid == uid and (
                password == user.password or password in user.api_keys
            ):
                return user
        raise AccessDenied()

    def execute_kw(
        self,
        database: str,
        uid: Any,
        password: Any,
        model: str,
        method: str,
        args: list[Any] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        """Run one `execute_kw` call in its own transaction."""
        self.check_database(database)
        user = self._user(uid, password)
        env = Env(self.db, uid=user.uid, version=self.version, is_admin=user.is_admin)
        with self.db.transaction():
            return execute_kw(env, model, method, args or [], kwargs)

    def call_json2(
        self, user: User, model: str, method: str, body: dict[str, Any]
    ) -> Any:
        """Run one JSON-2 call in its own transaction."""
        env = Env(self.db, uid=user.uid, version=self.version, is_admin=user.is_admin)
        with self.db.transaction():
            return call_json2(env, model, method, body)
