import yaml

from opsgate.evals.chat.case_files import CASES_DIR, case_document, folder_name
from opsgate.evals.chat.harness import fixture_engine


def test_committed_chat_case_files_match_the_generated_questions(tmp_path):
    engine, cases = fixture_engine(tmp_path / "chat.db")
    engine.dispose()

    on_disk = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())

    assert len(cases) >= 60
    assert on_disk == sorted(folder_name(n, c) for n, c in enumerate(cases, start=1))
    for number, case in enumerate(cases, start=1):
        stored = yaml.safe_load(
            (CASES_DIR / folder_name(number, case) / "case.yaml").read_text()
        )
        assert stored == case_document(case), case.slug
