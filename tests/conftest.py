"""What every test shares: logging put back as it was after each test.

Commands under test configure structlog and the root logger for the process;
left in place, a later test would log into a stream pytest already closed.
"""

import logging

import pytest
import structlog


@pytest.fixture(autouse=True)
def _restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    structlog.reset_defaults()
    root.handlers = handlers
    root.setLevel(level)
