import pytest

from opsgate.agent.classify import Classifier
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.graphs.triage_state import TriageContext
from opsgate.rules.store.db import create_schema, create_store_engine
from tests.agent.graphs.triage_seed import GATE


@pytest.fixture(scope="session")
def classifier():
    return Classifier(TriageModel.load())


@pytest.fixture
def engine(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def context(engine, classifier):
    return TriageContext(engine=engine, classifier=classifier, gate=GATE)
