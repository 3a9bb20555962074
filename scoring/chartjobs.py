"""Drawing a run's charts in several processes at once.

The charts of a run are independent of each other and of the tables, and drawing them (text
layout above all: a jury of 200 teams has hundreds of labelled rows) takes longer than all
the scoring. :class:`ChartJob` forks helper processes (see :mod:`scoring.forks`) that draw a
share of the charts while this process goes on (writing the tables, then drawing its own
share). Each chart is drawn from the same data by the same code: the files are the same bytes
whichever process writes them. A helper stops between charts once orphaned and is killed when
the run fails; a share that cannot be given to a helper (no process to spare) is drawn here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from scoring import forks

if TYPE_CHECKING:
    from scoring.chartspecs import ChartSpec


def shares(
    specs: Sequence[ChartSpec], processes: int, *, head_start: int = 0
) -> list[list[ChartSpec]]:
    """``specs`` split into at most ``processes`` shares of about equal weight, each in the
    order of ``specs``; the first share (this process's) starts ``head_start`` heavier.

    Examples
    --------
    >>> from scoring.chartspecs import ChartSpec
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
    _even_out(split, loads)
    order = {spec.name: i for i, spec in enumerate(specs)}
    return [sorted(share, key=lambda s: order[s.name]) for share in split]


def _even_out(split: list[list[ChartSpec]], loads: list[int]) -> None:
    """Move or swap single charts between the heaviest and the lightest share while that
    lowers the heaviest load (heaviest-first leaves 180 + 351 + 170 against 430 + 270 + 170
    where 180 + 351 + 270 against 430 + 170 + 170 does better)."""
    for _round in range(4 * sum(len(share) for share in split)):
        heavy, light = loads.index(max(loads)), loads.index(min(loads))
        gap = loads[heavy] - loads[light]
        # Moving weight d from the heaviest to the lightest share helps when 0 < d < gap.
        moves: list[tuple[int, ChartSpec, ChartSpec | None]]
        moves = [(spec.weight, spec, None) for spec in split[heavy]]
        moves += [(a.weight - b.weight, a, b) for a in split[heavy] for b in split[light]]
        useful = [move for move in moves if 0 < move[0] < gap]
        if not useful:
            return
        shift, out, back = min(useful, key=lambda move: abs(gap - 2 * move[0]))
        split[heavy].remove(out)
        split[light].append(out)
        if back is not None:
            split[light].remove(back)
            split[heavy].append(back)
        loads[heavy] -= shift
        loads[light] += shift


class ChartJob:
    """The charts ``specs`` being drawn into ``out``: helpers start on entering, the rest
    is drawn by :meth:`finish`. Use as a context manager: on leaving, the helpers are waited
    for, or killed when the work in between failed.

    ``head_start`` is the weight of the work this process does before :meth:`finish`.
    """

    def __init__(
        self, specs: Sequence[ChartSpec], out: Path, *, processes: int = 1, head_start: int = 0
    ) -> None:
        self.specs, self.out = list(specs), out
        own, *others = shares(self.specs, processes, head_start=head_start)
        self.own = own
        self.others = others
        self._helpers: list[tuple[forks.Helper[bool], list[ChartSpec]]] = []
        self._own_drawn = False

    @property
    def helpers(self) -> list[tuple[int, list[ChartSpec]]]:
        """(process id, share) of each helper not yet waited for."""
        return [(helper.pid, share) for helper, share in self._helpers]

    def __enter__(self) -> ChartJob:
        self.out.mkdir(parents=True, exist_ok=True)
        if not forks.can_fork():
            # A lock held by another thread at the fork stays locked in the child for good
            # (a progress bar writing to the terminal, a server's worker): draw them all here.
            self.own, self.others = self.specs, []
        try:
            self._start()
        except BaseException:
            self._stop()  # __exit__ is not called when __enter__ fails
            raise
        return self

    def _start(self) -> None:
        others = [share for share in self.others if share]
        if not others:
            return
        import scoring.charts  # noqa: F401  (imported before forking, not once per helper)

        parent = os.getpid()
        for share in others:
            try:
                helper = forks.start(_drawing(share, self.out, parent), send=False)
            except OSError:  # EAGAIN, ENOMEM: no process to spare, so draw it here
                self.own = [*self.own, *share]
            else:
                self._helpers.append((helper, share))

    def draw_own(self) -> None:
        """Draw this process's share (once), while the helpers draw theirs."""
        if not self._own_drawn:
            _draw(self.own, self.out)
            self._own_drawn = True

    def finish(self) -> list[tuple[ChartSpec, Path, Path]]:
        """Draw this process's share unless done, wait for the helpers and draw again
        whatever a failed helper left (so that its error is raised here); (spec, png, svg)
        for every chart."""
        self.draw_own()
        for share in self._wait():
            _draw(share, self.out)
        return [(s, self.out / f"{s.name}.png", self.out / f"{s.name}.svg") for s in self.specs]

    def _wait(self) -> list[list[ChartSpec]]:
        """Wait for every helper; the shares of those that failed. A helper is forgotten only
        once reaped, so that an interrupted wait leaves the rest to :meth:`_stop`."""
        failed = []
        while self._helpers:
            helper, share = self._helpers[0]
            ok, _drawn = helper.result()
            del self._helpers[0]
            if not ok:
                failed.append(share)
        return failed

    def _stop(self) -> None:
        """Kill the helpers and reap them: the run failed, their charts are not wanted."""
        while self._helpers:
            helper, _share = self._helpers.pop(0)
            helper.stop()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self._wait()
        else:
            self._stop()


def _drawing(share: Sequence[ChartSpec], out: Path, parent: int) -> Callable[[], bool]:
    """What a helper runs: :func:`_draw` of its share, stopping once orphaned."""
    return lambda: _draw(share, out, parent=parent)


def _draw(share: Sequence[ChartSpec], out: Path, *, parent: int | None = None) -> bool:
    """Save each chart of ``share``; in a helper (``parent`` given), stop once orphaned, as
    nobody waits for these charts any more (False then)."""
    from scoring.charts import save_chart

    for spec in share:
        if parent is not None and os.getppid() != parent:
            return False
        save_chart(spec.draw(), out / spec.name)
    return True
