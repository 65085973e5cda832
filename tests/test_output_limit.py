"""The worker's output limit (graders/execute/client.py) on a real kernel, without the sandbox.

An endless print loop must be stopped by the interrupt sent when its output crosses the
limit, and the cell must end even when the kernel's execute reply is lost (the interrupt can
land while the kernel sends it: ipykernel then logs "KeyboardInterrupt caught in kernel" and
only the idle status comes). Here the reply of the printing cell is dropped on purpose.
"""

from __future__ import annotations

import asyncio
import time
from queue import Empty
from typing import Any

import nbformat
import pytest

from graders.execute.client import LimitedClient

pytestmark = pytest.mark.slow
CELL_TIMEOUT_S = 60  # far above what stopping the cell may take: reaching it means a failure


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell('while True:\n    print("x" * 1000)'),
        nbformat.v4.new_code_cell("print(x + 1)"),
    ]
    return nb


async def _run(drop_reply_of: int | None) -> dict[str, Any]:
    nb = _notebook()
    client = LimitedClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", allow_errors=True,
        per_cell=100_000, total=1_000_000,
    )  # fmt: skip
    client.reset_execution_trackers()
    seconds = {}
    async with client.async_setup_kernel():
        assert client.kc is not None
        channel = client.kc.shell_channel
        get_msg = channel.get_msg

        async def losing_get_msg(*args: Any, **kwargs: Any) -> dict[str, Any]:
            msg = await get_msg(*args, **kwargs)
            if client.current_cell == drop_reply_of and msg["msg_type"] == "execute_reply":
                await asyncio.sleep(kwargs.get("timeout") or CELL_TIMEOUT_S)
                raise Empty  # the reply never comes
            return msg

        channel.get_msg = losing_get_msg  # type: ignore[method-assign]
        for index, cell in enumerate(nb.cells):
            client.current_cell = index
            client.limits_on = index < 2
            started = time.monotonic()
            await client.async_execute_cell(cell, index)
            seconds[index] = time.monotonic() - started
    return {"client": client, "nb": nb, "seconds": seconds}


@pytest.mark.parametrize("drop_reply", [False, True], ids=["reply", "reply-lost"])
def test_endless_print_is_stopped_at_the_output_limit(drop_reply: bool) -> None:
    got = asyncio.run(_run(1 if drop_reply else None))
    client, nb = got["client"], got["nb"]
    hit = client.output_hit
    assert hit is not None
    assert (hit["name"], hit["limit"], hit["cell"]) == ("output-cell", 100_000, 1)
    assert hit["observed"] > 100_000
    assert client.first_limit == {1: "output"} and client.timed_out == set()
    assert got["seconds"][1] < CELL_TIMEOUT_S / 2  # ended by the limit, not by the cell timeout
    kept = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert len(kept) <= 100_000 + 100  # the output past the limit was dropped
    assert kept.endswith("[dlgrade: output limit of 100000 bytes reached]\n")
    # the loop was interrupted: the same kernel runs the next cell, its state intact
    assert [o.get("text") for o in nb.cells[2].outputs] == ["2\n"]
