"""From the jury's input to the results: the checks, the scores, the statistics and the rank
stability, with the marks validated by a helper process while they are computed.

Heavy libraries (scipy above all) are imported inside the stage that needs them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import InputError, Problem
from scoring.i18n import gettext as _
from scoring.progress import Steps

if TYPE_CHECKING:
    from scoring.aggregate import Scores
    from scoring.forks import Helper
    from scoring.outputs import Results
    from scoring.sheets import JuryInput
    from scoring.stability import Stability


def method_problems(jury: JuryInput, config: Config) -> tuple[Problem, ...]:
    """What the rubric's method says of valid marks, as ``rank`` would say it: its refusal
    (too few marks to trim, jurors who share no teams) as an error, else its warnings (a
    juror who cannot be standardised)."""
    from scoring.aggregate import score
    from scoring.errors import MethodError

    try:
        return score(scoring_marks(jury.marks), config).problems
    except MethodError as error:
        return (Problem("error", "method", str(error)),)


def scoring_marks(marks: pd.DataFrame) -> pd.DataFrame:
    """The columns the methods use; CHALLENGE only when some team has a challenge."""
    keep = [col.JUROR, col.TEAM, col.CRITERION, col.SCORE]
    if col.CHALLENGE in marks and marks[col.CHALLENGE].notna().any():
        keep.append(col.CHALLENGE)
    return marks[keep].reset_index(drop=True)


def _rubric_of(scores: Scores, config: Config) -> dict[str, str]:
    """Team id -> the rubric it is judged on: its challenge's own, or the main one ("")."""
    ranking = scores.ranking
    if not config.challenge_criteria or col.CHALLENGE not in ranking:
        return {}
    return {
        str(team): str(challenge) if challenge in config.challenge_criteria else ""
        for team, challenge in zip(ranking[col.TEAM], ranking[col.CHALLENGE], strict=True)
    }


def checked_compute(
    jury: JuryInput,
    config: Config,
    samples: int,
    steps: Steps,
    *,
    scored: Callable[[Scores], None] | None = None,
) -> Results:
    """Validate the marks, then compute the results (see :func:`compute`); InputError when
    the marks have errors.

    Marks are usually valid: when a helper process can be forked (see :mod:`scoring.forks`),
    it validates them while this process computes the scores, the statistics and the rank
    stability. Its verdict is taken as soon as it comes (between two chunks of the bootstrap,
    the long stage, else at the end): an error it finds ends the run just as it would have
    before the computation, whatever the computation did with the marks.
    """
    checking = _checking(jury, config, steps)
    if checking is None:
        from scoring.validate import validate

        problems = _valid(tuple(validate(jury, config)))
        return compute(jury, config, samples, steps, problems, scored=scored)
    return _computed_while_checking(checking, jury, config, samples, steps, scored)


def _checking(jury: JuryInput, config: Config, steps: Steps) -> Helper[tuple[Problem, ...]] | None:
    """A helper process validating the marks, forked when one can be and reading found no
    error; None when the marks are to be validated here, first."""
    from scoring import forks
    from scoring.validate import validate

    checking = None
    # An error found while reading (a file that does not exist or could not be read, a cell
    # that is not a number) fails the run: the marks are validated first, here, and nothing
    # is computed (or shown as being computed).
    unread = any(problem.severity == "error" for problem in jury.problems)
    with steps.paused():
        if forks.can_fork() and not unread:
            try:
                checking = forks.start(lambda: tuple(validate(jury, config)))
            except OSError:  # no process to spare: validate first, here
                checking = None
    return checking


def _computed_while_checking(
    checking: Helper[tuple[Problem, ...]],
    jury: JuryInput,
    config: Config,
    samples: int,
    steps: Steps,
    scored: Callable[[Scores], None] | None,
) -> Results:
    """The results computed while ``checking`` validates the marks, with its problems first;
    InputError as soon as its verdict has an error (or, when the computation failed, the
    verdict's error first)."""
    found: list[tuple[Problem, ...]] = []

    def verdict() -> None:
        if not found:
            found.append(_valid(_checked(checking, jury, config)))

    def poll() -> None:
        if not found and checking.ready():
            verdict()

    try:
        try:
            results = compute(
                jury, config, samples, steps, (), scored=scored, checked=verdict, poll=poll
            )
        except InputError:
            raise
        except Exception:
            verdict()  # the marks' errors first, if any
            raise
        verdict()
    finally:
        checking.stop()  # killed when interrupted; nothing to do once its result was read
    return dataclasses.replace(results, problems=(*found[0], *results.problems))


def _checked(
    checking: Helper[tuple[Problem, ...]], jury: JuryInput, config: Config
) -> tuple[Problem, ...]:
    """The helper's problems; validated here when the helper failed."""
    from scoring.validate import validate

    ok, problems = checking.result()
    return problems if ok and problems is not None else tuple(validate(jury, config))


def _valid(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """``problems`` when none is an error; else InputError with them all."""
    if any(problem.severity == "error" for problem in problems):
        raise InputError(problems)
    return problems


def compute(
    jury: JuryInput,
    config: Config,
    samples: int,
    steps: Steps,
    problems: Sequence[Problem],
    *,
    scored: Callable[[Scores], None] | None = None,
    checked: Callable[[], None] | None = None,
    poll: Callable[[], None] | None = None,
) -> Results:
    """Scores, agreement, juror statistics and (when ``samples``) the rank stability;
    ``scored`` is called with the scores as soon as they are computed, ``poll`` between two
    chunks of the bootstrap and ``checked`` at the end (either raises to end the run)."""
    from scoring.aggregate import score
    from scoring.agreement import agreement
    from scoring.jurors import juror_stats
    from scoring.outputs import Results
    from scoring.sheets import team_values

    steps.step(_("computing the scores"))
    marks = scoring_marks(jury.marks)
    scores = score(marks, config)
    if scored is not None:
        scored(scores)
    steps.step(_("agreement and juror statistics"))
    stats = (
        agreement(scores.juror_totals, _rubric_of(scores, config)),
        juror_stats(scores.juror_totals),
    )
    stable = _stability(marks, scores, config, samples, steps, poll)
    if checked is not None:
        checked()
    return Results(
        marks=jury.marks,
        scores=scores,
        agreement=stats[0],
        jurors=stats[1],
        stability=stable,
        problems=(*problems, *scores.problems),
        files=tuple(jury.files),
        team_names=team_values(jury.teams, col.TEAM_NAME),
    )


def _stability(
    marks: pd.DataFrame,
    scores: Scores,
    config: Config,
    samples: int,
    steps: Steps,
    poll: Callable[[], None] | None,
) -> Stability | None:
    """The rank stability of ``marks`` (see :func:`scoring.stability.stability`), row for
    row beside the ranking of ``scores``; None without ``samples``. ``poll`` is called
    between two chunks of the bootstrap."""
    stable = None
    if samples > 0:
        from scoring.stability import in_ranking_order, stability

        steps.step(_("rank stability (bootstrap)"))

        def progress(done: int, total: int) -> None:
            steps.fraction(done, total)
            if poll is not None:
                poll()

        stable = stability(marks, config, progress=progress)
        # Row for row beside the ranking (the library orders by median rank).
        stable = in_ranking_order(stable, list(scores.ranking[col.TEAM]))
    return stable
