"""Layer 2: word TF-IDF + a calibrated linear SVM trained on labelled incidents.

The trained model ships as package data (`triage_model.joblib`, built by
`opsgate agent train`); a retrained copy at a path from settings wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from opsgate.agent.classify.facts import IncidentFacts
from opsgate.agent.classify.text import model_text

SHIPPED_MODEL = Path(__file__).resolve().parent / "triage_model.joblib"
"""The model trained on the labelled cases' train split, shipped in the package."""


class ModelUnavailable(Exception):
    """Raised when no trained model file exists where one is expected."""


class TriageModel:
    """Predict a category and its probability from an incident's text."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.classes: list[str] = [str(c) for c in pipeline.classes_]

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str]) -> TriageModel:
        """Fit a new model on `texts` labelled with `labels`."""
        # Word uni- and bigrams only: on the held-out split they score as well
        # as adding character n-grams did, at a tenth of the prediction cost.
        features = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
        folds = max(2, min(3, min(np.unique(labels, return_counts=True)[1])))
        classifier = CalibratedClassifierCV(LinearSVC(C=0.8), cv=int(folds))
        pipeline = Pipeline([("features", features), ("classifier", classifier)])
        pipeline.fit(list(texts), list(labels))
        return cls(pipeline)

    @classmethod
    def load(cls, path: Path | None = None) -> TriageModel:
        """Load a model from `path`, or the shipped one."""
        path = path if path is not None and path.exists() else SHIPPED_MODEL
        if not path.exists():
            raise ModelUnavailable(
                f"No triage model at {str(path)!r}. Run `opsgate agent train` first."
            )
        return cls(joblib.load(path))

    def save(self, path: Path) -> None:
        """Write the model to `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.pipeline, path, compress=3)

    def predict(
        self, facts: Sequence[IncidentFacts], *, top: int = 3
    ) -> list[list[tuple[str, float]]]:
        """Return the `top` (category, probability) guesses per incident, best first."""
        if not facts:
            return []
        probabilities: Any = self.pipeline.predict_proba([model_text(f) for f in facts])
        order = np.argsort(-probabilities, axis=1)[:, :top]
        return [
            [(self.classes[i], float(probabilities[row, i])) for i in order[row]]
            for row in range(len(facts))
        ]
