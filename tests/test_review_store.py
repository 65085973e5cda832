"""The review app's gradebook side, on SQLite and on a private PostgreSQL server: migrations adopt
a gradebook made before them, rubric reviews and overrides reach `dlgrade score show` and the
reports, editing a rubric item rescores those who have it, and two TAs never overwrite each
other silently (version check), also when saving at the same moment."""

from __future__ import annotations

import threading

import pytest
from review_support import fill, results
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session

from graders.commands import score
from graders.gradebook import Gradebook
from graders.gradebook.migrate import HEAD, current_revision
from graders.gradebook.models import Base, SubmissionRow
from graders.gradebook.ta_scores import TAScoreRow
from graders.review_app.store import ConflictError, ReviewInputError, ReviewStore

A = "hw5-rnn"
ITEM = "Q3.a.gates"


def _auto(key: str) -> dict:
    return next(s for s in results()["submissions"] if s["submission"] == key)


def test_gradebook_of_the_review_release_gains_the_time_source_column(gradebook_url: str) -> None:
    """A gradebook at revision 0003 (the release before upload-time sources) upgrades to 0004:
    `intake_records.time_source` is added, the rows already there are kept."""
    from alembic import command
    from alembic.config import Config

    from graders.gradebook.migrate import SCRIPTS

    engine = create_engine(gradebook_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    columns = {c["name"] for c in inspect(engine).get_columns("intake_records")}
    assert "time_source" not in columns and current_revision(engine) == "0003"
    with Gradebook(gradebook_url) as gb:
        assert current_revision(gb.engine) == "0004"
    columns = {c["name"] for c in inspect(engine).get_columns("intake_records")}
    assert "time_source" in columns
    engine.dispose()


def test_gradebook_made_before_migrations_is_adopted(gradebook_url: str) -> None:
    engine = create_engine(gradebook_url)
    Base.metadata.create_all(engine)  # exactly what today's Gradebook() made: no alembic_version
    TAScoreRow.metadata.create_all(engine)
    with Session(engine) as s, s.begin():
        s.add(SubmissionRow(assignment=A, key="old", students=[]))
        s.add(
            TAScoreRow(
                assignment=A, submission="old", item="Q2.b.tanh", points=0.5, comment="", grader="x"
            )
        )
    assert current_revision(engine) is None
    with Gradebook(gradebook_url) as gb:
        assert current_revision(gb.engine) == HEAD == "0004"
        assert [r["points"] for r in gb.ta_scores(A)] == [0.5]
    tables = set(inspect(engine).get_table_names())
    assert {"review_grades", "review_rubric_items", "review_audit", "review_accounts"} <= tables
    with Session(engine) as s:
        assert s.scalars(select(SubmissionRow.key)).all() == ["old"]
    engine.dispose()


def test_rubric_review_reaches_score_show_and_edit_rescores(
    gradebook_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = fill(gradebook_url)
    store = ReviewStore(gradebook_url)
    check = store.check(A, keys[0], ITEM)
    assert check["status"] == "review" and check["max"] == 4.0
    store.seed_rubric(A, ITEM, check["evidence"]["rubric"])
    rubric = store.rubric(A, ITEM)
    r1, r2, r3 = rubric[0]["id"], rubric[1]["id"], rubric[2]["id"]
    p1, p2, p3 = (rubric[i]["points"] for i in range(3))
    store.save("ta1", A, keys[0], ITEM, version=0, top=4.0, rubric_ids=[r1, r2], comment="خوب")
    store.save("ta1", A, keys[1], ITEM, version=0, top=4.0, rubric_ids=[r2])
    store.save("ta2", A, keys[2], ITEM, version=0, top=4.0, rubric_ids=[r3])
    assert store.review(A, keys[0], ITEM)["points"] == pytest.approx(min(4.0, p1 + p2))

    capsys.readouterr()
    shown = score.show(assignment=A, submission=keys[0], gradebook=gradebook_url)
    auto = _auto(keys[0])
    expected = round(
        (auto["score"] / (1 - auto["late_penalty_percent"] / 100) + p1 + p2)
        * (1 - auto["late_penalty_percent"] / 100),
        4,
    )
    assert shown["score"] == pytest.approx(expected, abs=1e-3)
    assert f"{keys[0]}: {shown['score']:g}/60" in capsys.readouterr().out
    msg = next(
        c
        for q in shown["questions"]
        for p in q["parts"]
        for c in p["checks"]
        if f"{q['id']}.{p['id']}.{c['id']}" == ITEM
    )["message_fa"]
    assert rubric[0]["text_fa"] in msg and "خوب" in msg  # what the report prints

    n = store.edit_rubric_item(
        "prof", r2, 0.25, "نکتهٔ دوم", "second point", version=rubric[1]["version"], top=4.0
    )
    assert n == 2  # keys[0] and keys[1] ticked r2; keys[2] did not
    with Gradebook(gradebook_url) as gb:
        finals = {r["submission"]: r for r in gb.final_all(A)}

    def item_score(key: str) -> float:
        q = next(q for q in finals[key]["questions"] if q["id"] == "Q3")
        return next(p for p in q["parts"] if p["id"] == "a")["score"]

    assert item_score(keys[0]) == pytest.approx(min(4.0, p1 + 0.25), abs=1e-3)
    assert item_score(keys[1]) == pytest.approx(0.25, abs=1e-3)
    assert item_score(keys[2]) == pytest.approx(min(4.0, p3), abs=1e-3)
    actions = [(r["action"], r["submission"]) for r in store.audit(A)]
    assert actions.count(("rescore", keys[0])) == 1 and ("rescore", keys[2]) not in actions
    with pytest.raises(ConflictError):  # the page showed the old version of the rubric item
        store.edit_rubric_item("prof", r2, 1.0, "x", "x", version=rubric[1]["version"], top=4.0)
    store.close()


def test_two_tas_on_one_item_get_a_conflict_not_an_overwrite(gradebook_url: str) -> None:
    keys = fill(gradebook_url)
    store = ReviewStore(gradebook_url)
    store.seed_rubric(A, ITEM, store.check(A, keys[0], ITEM)["evidence"]["rubric"])
    ids = [r["id"] for r in store.rubric(A, ITEM)]
    store.save("ta1", A, keys[0], ITEM, version=0, top=4.0, rubric_ids=[ids[0]])
    with pytest.raises(ConflictError, match="ta1"):
        store.save("ta2", A, keys[0], ITEM, version=0, top=4.0, rubric_ids=[ids[1]])
    store.save("ta2", A, keys[0], ITEM, version=1, top=4.0, rubric_ids=[ids[1]])
    with pytest.raises(ConflictError):
        store.save("ta1", A, keys[0], ITEM, version=1, top=4.0, rubric_ids=[ids[2]])
    review = store.review(A, keys[0], ITEM)
    assert (review["grader"], review["rubric_ids"], review["version"]) == ("ta2", [ids[1]], 2)
    store.close()


def test_simultaneous_saves_exactly_one_wins(gradebook_url: str) -> None:
    keys = fill(gradebook_url)
    stores = [ReviewStore(gradebook_url), ReviewStore(gradebook_url)]
    stores[0].seed_rubric(A, ITEM, stores[0].check(A, keys[0], ITEM)["evidence"]["rubric"])
    ids = [r["id"] for r in stores[0].rubric(A, ITEM)]
    for version in (0, 1):
        barrier = threading.Barrier(2)
        outcome: list[str] = []

        def save(
            i: int,
            version: int = version,
            barrier: threading.Barrier = barrier,
            outcome: list[str] = outcome,
        ) -> None:
            barrier.wait()
            try:
                stores[i].save(
                    f"ta{i}", A, keys[0], ITEM, version=version, top=4.0, rubric_ids=[ids[i]]
                )
                outcome.append("saved")
            except ConflictError:
                outcome.append("conflict")

        threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcome) == ["conflict", "saved"]
        assert stores[0].review(A, keys[0], ITEM)["version"] == version + 1
    for s in stores:
        s.close()


def test_override_needs_a_reason_and_is_audited(gradebook_url: str) -> None:
    keys = fill(gradebook_url)
    store = ReviewStore(gradebook_url)
    item = "Q1.a.L1-weights"
    check = store.check(A, keys[0], item)
    assert check["status"] == "fail" and check["max"] == 0.5
    with pytest.raises(ReviewInputError):
        store.save("ta1", A, keys[0], item, version=0, top=0.5, override_points=0.5, reason=" ")
    with pytest.raises(ReviewInputError):
        store.save(
            "ta1", A, keys[0], item, version=0, top=0.5, override_points=0.75, reason="too many"
        )
    store.save(
        "ta1",
        A,
        keys[0],
        item,
        version=0,
        top=0.5,
        override_points=0.5,
        reason="عدد با ٫ خوانده نشد",
    )
    store.save(
        "ta2", A, keys[0], item, version=1, top=0.5, override_points=0.25, reason="نیمی درست"
    )
    with Gradebook(gradebook_url) as gb:
        final = gb.final(A, keys[0])
    c = next(
        c
        for q in final["questions"]
        for p in q["parts"]
        for c in p["checks"]
        if f"{q['id']}.{p['id']}.{c['id']}" == item
    )
    assert (c["status"], c["score"]) == ("partial", 0.5)  # 0.25 of 0.5 points
    assert "نیمی درست" in c["message_fa"]
    rows = [r for r in store.audit(A) if r["item"] == item]
    assert [(r["who"], r["action"]) for r in rows] == [("ta2", "override"), ("ta1", "override")]
    assert rows[0]["old"]["points"] == 0.5 and rows[0]["new"]["points"] == 0.25
    assert rows[1]["old"] is None and rows[0]["at"] is not None
    store.close()


def test_report_shows_the_ta_rubric_items_and_comment(tmp_path) -> None:
    from graders.commands.grade import assignment_info
    from graders.report.render import render_html
    from graders.spec import load_spec

    url = f"sqlite:///{tmp_path / 'gb.db'}"
    keys = fill(url)
    store = ReviewStore(url)
    store.add_rubric_item("prof", A, ITEM, 1.5, "گیت فراموشی درست توضیح داده شد", "forget gate")
    rid = store.rubric(A, ITEM)[0]["id"]
    store.save(
        "ta1",
        A,
        keys[1],
        ITEM,
        version=0,
        top=4.0,
        rubric_ids=[rid],
        comment="گیت خروجی را هم بگویید",
    )
    store.close()
    with Gradebook(url) as gb:
        final = gb.final_results(A, [keys[1]])[0]
    html = render_html(final, assignment=assignment_info(load_spec(A)), figures=tmp_path)
    assert "گیت فراموشی درست توضیح داده شد (+1.5)" in html
    assert "گیت خروجی را هم بگویید" in html


def _open(url: str) -> str | None:
    with Gradebook(url) as gb:
        return current_revision(gb.engine)


def test_processes_opening_a_new_gradebook_at_once_all_get_the_head(tmp_path) -> None:
    import multiprocessing

    url = f"sqlite:///{tmp_path / 'new.db'}"
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_open, [url] * 4) == [HEAD] * 4


def test_plain_postgresql_urls_use_psycopg_3(pg_server: str) -> None:
    from pg_server import fresh_database

    plain = fresh_database(pg_server).replace("postgresql+psycopg://", "postgresql://")
    keys = fill(plain)
    with Gradebook(plain) as gb:
        assert gb.engine.dialect.driver == "psycopg"
        assert current_revision(gb.engine) == HEAD
    score.set_score(assignment=A, submission=keys[0], item="Q2.b.tanh", points=0.5, gradebook=plain)
    shown = score.show(assignment=A, submission=keys[0], gradebook=plain)
    assert shown["score"] == pytest.approx(_auto(keys[0])["score"] + 0.5, abs=1e-3)
