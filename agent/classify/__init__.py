"""Classify incidents in three layers: rules, a trained model, then the LLM.

    Classifier.classify(facts) → Classification
      1. rules over the error taxonomy and fault text    (`rules.py`)
      2. TF-IDF + calibrated linear model                 (`model.py`)
      3. the LLM, only when both are unsure               (`llm_layer.py`)

Results are cached by failure signature (`signature.py`), so one signature
is classified once.
"""

from opsgate.agent.classify.classifier import Classifier
from opsgate.agent.classify.facts import Classification, IncidentFacts

__all__ = ["Classification", "Classifier", "IncidentFacts"]
