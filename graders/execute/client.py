"""The worker's nbclient: output counted as iopub messages arrive, a cell stopped at its limit.

`LimitedClient` counts each output message's bytes the moment nbclient receives it (per cell
and in total). The first message that crosses a limit is recorded, dropped with a one-line
note, and the kernel is interrupted at once. From then on the cell does not wait for its
normal end: it is over as soon as the kernel reports the cell idle, or the execute reply
comes, or `STOP_GRACE_S` seconds pass (a cell that swallows the interrupt), whichever is
first. So a notebook that prints 200 MB ends as `output-limit` however slowly the kernel
drains its buffers, and an interrupt that lands while the kernel is sending the reply (the
reply is then lost; the idle status still comes) cannot leave the run waiting for the
cell timeout. The first limit crossed in a cell (`first_limit`) decides its outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

STOP_GRACE_S = 10.0  # after the interrupt: how long a cell over its output limit may take to end
REPLY_AFTER_IDLE_S = 1.0  # the reply normally precedes the idle status; a lost one is not awaited


def output_size(out: nbformat.NotebookNode) -> int:
    """Characters of one output as it would be stored in the notebook."""
    if out.get("output_type") == "stream":
        return len(out.get("text", ""))
    if out.get("output_type") == "error":
        return sum(len(t) for t in out.get("traceback", [])) + len(out.get("evalue", ""))
    return sum(
        len(v) if isinstance(v, str) else len(json.dumps(v)) for v in out.get("data", {}).values()
    )


def _stopped_reply(msg_id: str) -> dict[str, Any]:
    """What nbclient gets in place of an execute reply for a cell stopped at its output limit."""
    return {
        "msg_type": "execute_reply",
        "header": {},
        "parent_header": {"msg_id": msg_id},
        "metadata": {},
        "content": {"status": "aborted"},
    }


class LimitedClient(NotebookClient):
    """nbclient with output-size limits enforced per message, and a record of cell timeouts."""

    def __init__(self, *args: Any, per_cell: int, total: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.per_cell = per_cell
        self.total_limit = total
        self.total = 0
        self.cell_bytes: dict[int, int] = {}
        self.output_hit: dict[str, Any] | None = None
        self.first_limit: dict[int, str] = {}  # cell index -> "output" or "cell-time"
        self.timed_out: set[int] = set()
        self.current_cell = -1
        self.limits_on = True
        self._interrupt: asyncio.Task | None = None
        self._limit_crossed = asyncio.Event()

    def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
        if not self.limits_on:
            return super().output(outs, msg, display_id, cell_index)
        if self.output_hit is not None:
            return None  # the limit was reached: further output is dropped
        try:
            size = output_size(nbformat.v4.output_from_msg(msg))
        except ValueError:
            size = 0
        used = self.cell_bytes.get(cell_index, 0) + size
        self.cell_bytes[cell_index] = used
        self.total += size
        which = None
        if used > self.per_cell:
            which = ("output-cell", self.per_cell, used)
        elif self.total > self.total_limit:
            which = ("output-total", self.total_limit, self.total)
        if which is None:
            return super().output(outs, msg, display_id, cell_index)
        self.output_hit = {
            "name": which[0],
            "limit": which[1],
            "observed": which[2],
            "cell": cell_index,
        }
        self.first_limit.setdefault(cell_index, "output")
        outs.append(
            nbformat.v4.new_output(
                "stream",
                name="stderr",
                text=f"[dlgrade: output limit of {which[1]} bytes reached]\n",
            )
        )
        if self.km is not None:
            self._interrupt = asyncio.ensure_future(self._interrupt_kernel())
        self._limit_crossed.set()
        return None

    async def _interrupt_kernel(self) -> None:
        with contextlib.suppress(Exception):  # a dead kernel is reported by the poller
            await self.km.interrupt_kernel()  # type: ignore[union-attr]

    async def _async_handle_timeout(self, timeout, cell=None):  # type: ignore[override]
        # First time: interrupt and wait again for the reply (KeyboardInterrupt). Second time
        # (the cell ignores interrupts): give up on the kernel.
        if self.current_cell in self.timed_out:
            raise CellTimeoutError.error_from_timeout_and_cell(
                "Cell execution timed out (the interrupt was ignored)", timeout, cell
            )
        self.timed_out.add(self.current_cell)
        self.first_limit.setdefault(self.current_cell, "cell-time")
        await self.km.interrupt_kernel()  # type: ignore[union-attr]
        return None

    async def _async_poll_for_reply(  # type: ignore[override]
        self, msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive
    ):
        """nbclient's wait for the reply, cut short once the cell crosses its output limit."""
        reply = asyncio.ensure_future(
            super()._async_poll_for_reply(
                msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive
            )
        )
        if not self.limits_on:
            return await reply
        crossed = asyncio.ensure_future(self._limit_crossed.wait())
        try:
            await asyncio.wait({reply, crossed}, return_when=asyncio.FIRST_COMPLETED)
            if not crossed.done():
                crossed.cancel()
                return reply.result()
            if self._interrupt is not None:
                await self._interrupt
            await asyncio.wait(
                {reply, task_poll_output_msg},
                timeout=STOP_GRACE_S,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if task_poll_output_msg.done() and not reply.done():  # idle seen: the cell is over
                await asyncio.wait({reply}, timeout=REPLY_AFTER_IDLE_S)
            if reply.done() and not reply.cancelled():
                error = reply.exception()
                if error is None or isinstance(error, DeadKernelError):
                    return reply.result()
                self.log.info("after the output limit: %r", error)  # e.g. the cell timeout
            for task in (reply, task_poll_output_msg, task_poll_kernel_alive):
                task.cancel()
            return _stopped_reply(msg_id)
        except asyncio.CancelledError:  # nbclient's poller found the kernel dead
            for task in (reply, crossed):
                task.cancel()
            raise
