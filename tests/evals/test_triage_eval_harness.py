import json

from typer.testing import CliRunner

from opsgate.agent.classify import Classifier
from opsgate.agent.classify.model import TriageModel
from opsgate.cli import app
from opsgate.evals.scoring import score
from opsgate.evals.triage.cases import load_cases


def test_there_are_at_least_300_cases_and_a_held_out_split():
    cases = load_cases("all")
    test_ids = {c.id for c in load_cases("test")}

    assert len(cases) >= 300
    assert 0 < len(test_ids) < len(cases)
    assert {c.category for c in load_cases("test")} == {c.category for c in cases}


def test_training_text_never_contains_a_held_out_fault_text():
    train = {c.facts.fault.get("message") for c in load_cases("train")}
    test = {c.facts.fault.get("message") for c in load_cases("test")}

    assert not train & test


def test_scores_per_label_and_macro_f1():
    scores = score(["a", "a", "b", "b"], ["a", "b", "b", "b"])

    rows = {row.label: row for row in scores.per_label}
    assert rows["a"].precision == 1.0 and rows["a"].recall == 0.5
    assert rows["b"].precision == 0.6667 and rows["b"].recall == 1.0
    assert scores.macro_f1 == round((0.6667 + 0.8) / 2, 4)


def test_eval_command_prints_the_table_and_writes_json(tmp_path):
    out = tmp_path / "triage.json"

    result = CliRunner().invoke(app, ["eval", "triage", "--json", str(out)])

    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "precision" in result.output
    report = json.loads(out.read_text())
    assert report["split"] == "test" and report["categories"]["macro_f1"] > 0.7


def test_shipped_model_classifies_the_held_out_split_without_an_llm():
    from opsgate.evals.triage.harness import run_triage_eval

    run = run_triage_eval(Classifier(TriageModel.load()), "test")

    assert set(run.layers) <= {"rules", "model"}
    assert run.cited_ids_present == 1.0
