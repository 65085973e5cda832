"""Progress of a batch: a rich live bar (done / running / failed / ETA) on a terminal, one
plain line per finished submission otherwise (logs, CI)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress:
    def __init__(self, total: int, *, stream: TextIO | None = None, rich: bool | None = None):
        self.total, self.done, self.failed, self.running = total, 0, 0, 0
        self.stream = stream or sys.stderr
        console = Console(file=self.stream)
        self.rich = console.is_terminal if rich is None else rich
        self.started = time.monotonic()
        self._progress: Progress | None = None
        if self.rich:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("running {task.fields[running]}  failed {task.fields[failed]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
            )
            self._task = self._progress.add_task("grading", total=total, running=0, failed=0)

    def __enter__(self) -> BatchProgress:
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress:
            self._progress.stop()

    def eta_s(self) -> float | None:
        if self.done == 0:
            return None
        return (time.monotonic() - self.started) / self.done * (self.total - self.done)

    def set_running(self, running: int) -> None:
        self.running = running
        if self._progress:
            self._progress.update(self._task, running=running)

    def advance(self, line: str, *, failed: bool = False, running: int = 0) -> None:
        self.done += 1
        self.failed += int(failed)
        self.running = running
        if self._progress:
            self._progress.update(self._task, advance=1, running=running, failed=self.failed)
            self._progress.console.print(line, highlight=False, markup=False)
            return
        eta = self.eta_s()
        eta_text = "?" if eta is None else f"{eta:.0f}s"
        print(
            f"[{self.done}/{self.total}] {line}  (running {running}, failed {self.failed}, "
            f"ETA {eta_text})",
            file=self.stream,
            flush=True,
        )
