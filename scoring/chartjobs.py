"""Drawing a run's charts in several processes at once.

The charts of a run are independent of each other and of the tables, and drawing them (text
layout above all: a jury of 200 teams has hundreds of labelled rows) takes longer than all
the scoring. On Linux, :class:`ChartJob` forks helper processes that draw a share of the
charts while this process goes on (writing the tables, then drawing its own share). A forked
process already holds the computed tables and matplotlib, so nothing is copied or imported
again, and each chart is drawn from the same data by the same code: the files are the same
bytes whichever process writes them. Helpers are forked only from a single-threaded process.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.outputs import ChartSpec

MAX_PROCESSES = 4


def chart_processes() -> int:
    """How many processes should draw the charts: one per CPU this process may use (at most
    ``MAX_PROCESSES``) on Linux, where forking is cheap; one elsewhere."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


def shares(
    specs: Sequence[ChartSpec], processes: int, *, head_start: int = 0
) -> list[list[ChartSpec]]:
    """``specs`` split into at most ``processes`` shares of about equal weight, each in the
    order of ``specs``; the first share (this process's) starts ``head_start`` heavier.

    Examples
    --------
    >>> from scoring.outputs import ChartSpec
    >>> specs = [ChartSpec(n, n, print, w) for n, w in (("a", 3), ("b", 2), ("c", 2))]
    >>> [[spec.name for spec in share] for share in shares(specs, 2)]
    [['a'], ['b', 'c']]
    """
    count = max(1, min(processes, len(specs)))
    split: list[list[ChartSpec]] = [[] for _ in range(count)]
    loads = [head_start] + [0] * (count - 1)
    for spec in sorted(specs, key=lambda s: -s.weight):  # heaviest first, into the lightest
        lightest = loads.index(min(loads))
        split[lightest].append(spec)
        loads[lightest] += spec.weight
    order = {spec.name: i for i, spec in enumerate(specs)}
    return [sorted(share, key=lambda s: order[s.name]) for share in split]


class ChartJob:
    """The charts ``specs`` being drawn into ``out``: helpers start on entering, the rest
    is drawn by :meth:`finish`. Use as a context manager, so that helpers are waited for
    even when the work in between fails.

    ``head_start`` is the weight of the work this process does before :meth:`finish`.
    """

    def __init__(
        self, specs: Sequence[ChartSpec], out: Path, *, processes: int = 1, head_start: int = 0
    ) -> None:
        self.specs, self.out = list(specs), out
        own, *others = shares(self.specs, processes, head_start=head_start)
        self.own = own
        self.others = others
        self.helpers: list[tuple[int, list[ChartSpec]]] = []

    def __enter__(self) -> ChartJob:
        self.out.mkdir(parents=True, exist_ok=True)
        if threading.active_count() > 1:
            # A lock held by another thread at the fork stays locked in the child for good
            # (a progress bar writing to the terminal, a server's worker): draw them all here.
            self.own, self.others = self.specs, []
        for share in self.others:
            if share:
                self.helpers.append((_draw_in_child(share, self.out), share))
        return self

    def finish(self) -> list[tuple[ChartSpec, Path, Path]]:
        """Draw this process's share, wait for the helpers and draw again whatever a failed
        helper left (so that its error is raised here); (spec, png, svg) for every chart."""
        _draw(self.own, self.out)
        for share in self._wait():
            _draw(share, self.out)
        return [(s, self.out / f"{s.name}.png", self.out / f"{s.name}.svg") for s in self.specs]

    def _wait(self) -> list[list[ChartSpec]]:
        helpers, self.helpers = self.helpers, []
        return [share for pid, share in helpers if os.waitpid(pid, 0)[1] != 0]

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._wait()


def _draw(share: Sequence[ChartSpec], out: Path) -> None:
    from scoring.charts import save_chart

    for spec in share:
        save_chart(spec.draw(), out / spec.name)


def _draw_in_child(share: Sequence[ChartSpec], out: Path) -> int:
    """Fork a process that draws ``share`` and exits (status 0 once every chart is saved)."""
    import scoring.charts  # noqa: F401  (imported before forking, not once per helper)

    # The child's garbage collector would otherwise touch every object the two processes
    # share, copying the memory that holds them (Python documents gc.freeze for this).
    gc.freeze()
    pid = os.fork()
    if pid:
        gc.unfreeze()
        return pid
    status = 1
    try:
        _draw(share, out)
        status = 0
    finally:
        # Leave at once: no atexit handlers, no flushing of output buffered by the parent.
        os._exit(status)
