"""Batch progress: plain lines off a terminal, a rich bar with done/running/failed/ETA on one."""

from __future__ import annotations

import io

from graders.batch.progress import BatchProgress


def test_plain_lines_count_done_running_failed_and_eta() -> None:
    stream = io.StringIO()
    with BatchProgress(3, stream=stream) as progress:
        assert not progress.rich  # a StringIO is not a terminal
        progress.advance("a: ok 10/10", running=2)
        progress.advance("b: timeout 0/10", failed=True, running=1)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[1/3] a: ok 10/10  (running 2, failed 0, ETA ")
    assert lines[1].startswith("[2/3] b: timeout 0/10  (running 1, failed 1, ETA ")
    assert progress.eta_s() is not None and progress.eta_s() >= 0


def test_rich_bar_shows_the_same_counts() -> None:
    stream = io.StringIO()
    with BatchProgress(2, stream=stream, rich=True) as progress:
        progress.advance("a: ok", failed=True, running=1)
        progress.advance("b: ok", running=0)
    text = stream.getvalue()
    assert "2/2" in text and "failed 1" in text and "ETA" in text and "a: ok" in text
