"""The result tables of the report: the rankings, the rank stability, the agreement between
jurors and the jurors' statistics, in reading order, with translated column headers.

Each table names its columns of scores and of jurors' totals, so that the report shows them
with the decimals they need (see :mod:`scoring.reportnumbers`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from scoring.columns import MAX_TOTAL, MIN_TOTAL, TOTAL
from scoring.config import Config
from scoring.i18n import get_language
from scoring.i18n import gettext as _

if TYPE_CHECKING:
    from scoring.outputs import RankingTable


@dataclass(frozen=True)
class Table:
    """A result table for the report: a caption, column headers and rows of cells."""

    title: str
    frame: pd.DataFrame
    note: str = ""
    # Columns holding team scores: shown with as many decimals as it takes for scores that
    # differ to print differently (see :func:`scoring.reportnumbers.score_decimals`).
    score_columns: tuple[str, ...] = ()
    # Columns holding values the rubric does not round (the jurors' totals): shown as they
    # are, with the decimals the most precise of them needs (see
    # :func:`scoring.reportnumbers.exact_decimals`).
    exact_columns: tuple[str, ...] = ()
    # Score columns the rubric's rounding leaves as computed (criteria rounded only in the
    # total, say): at least two decimals, whatever the rubric's, so that a clinical score of
    # 4.67 does not read 5 beside a total rounded to whole numbers.
    unrounded_columns: tuple[str, ...] = ()


def column_titles(config: Config) -> dict[str, str]:
    """Readable, translated headers for the result tables (criterion ids become labels)."""
    language = get_language()
    titles = {
        "rank": _("Rank"),
        "team": _("Team"),
        "name": _("Name"),
        "challenge": _("Challenge"),
        "score": _("Score"),
        "jurors": _("Jurors"),
        "disagreement": _("Disagreement (SD)"),
        "min": _("Lowest juror total"),
        "max": _("Highest juror total"),
        "tie_note": _("Tie note"),
        "statistic": _("Statistic"),
        "value": _("Value"),
        "teams": _("Teams"),
        "note": _("Note"),
        "juror": _("Juror"),
        "leniency": _("Leniency"),
        "leniency_z": _("Leniency (robust z)"),
        "spread": _("Spread (SD)"),
        "consensus_correlation": _("Agreement with the panel"),
        "outlier": _("Outlier"),
        "outlier_reason": _("Why"),
        "median_rank": _("Median rank"),
        "rank_low": _("Rank interval from"),
        "rank_high": _("Rank interval to"),
        "p_first": _("P(first)"),
        "p_top3": _("P(top 3)"),
        "p_unjudged": _("P(not judged)"),
    }
    titles.update({c.id: c.label(language) for c in config.all_criteria()})
    return titles


def result_tables(results: Any, config: Config) -> list[Table]:
    """The tables of the report, in reading order, with translated headers."""
    from scoring.outputs import rankings, with_names

    titles = column_titles(config)
    tables = _ranking_tables(rankings(results, config), config, titles)  # with names, when given
    if results.stability is not None:
        tables.append(
            Table(
                _("Rank stability"),
                with_names(results.stability.summary, results.team_names).rename(columns=titles),
                _("Where each team's rank falls when the jury is resampled."),
            )
        )
    if results.agreement is not None:
        tables.append(_agreement_table(results.agreement, titles))
    if results.jurors is not None:
        tables.append(
            Table(
                _("Jurors"),
                results.jurors.rename(columns=titles),
                _(
                    "Leniency: how far a juror's totals lie above (+) or below (−) "
                    "the other jurors' on the same teams."
                ),
            )
        )
    return tables


def _ranking_tables(
    ranked_tables: list[RankingTable], config: Config, titles: Mapping[str, str]
) -> list[Table]:
    """Each ranking as a table, its columns of scores and of jurors' totals named."""
    scores = {TOTAL, *(c.id for c in config.all_criteria())}
    stages = config.rounding.stages
    rounded = {TOTAL} if "total" in stages else set()
    if "criterion" in stages:
        rounded |= {c.id for c in config.all_criteria()}
    juror_totals = (MIN_TOTAL, MAX_TOTAL)
    tables = []
    for ranked in ranked_tables:
        frame = ranked.table
        title = (
            _("Ranking")
            if ranked.challenge is None
            else _("Ranking, challenge {challenge}").format(challenge=ranked.challenge)
        )
        tables.append(
            Table(
                title,
                frame.rename(columns=titles),
                score_columns=tuple(titles.get(c, c) for c in frame.columns if c in scores),
                exact_columns=tuple(titles.get(c, c) for c in frame.columns if c in juror_totals),
                unrounded_columns=tuple(
                    titles.get(c, c) for c in frame.columns if c in scores - rounded
                ),
            )
        )
    return tables


def _agreement_table(agreement: pd.DataFrame, titles: Mapping[str, str]) -> Table:
    """The agreement between jurors, each statistic by its translated name."""
    from scoring.agreement import statistic_label
    from scoring.coefficients import STATISTIC

    described = agreement.assign(**{STATISTIC: agreement[STATISTIC].map(statistic_label)})
    return Table(
        _("Agreement between jurors"),
        described.rename(columns=titles),
        _("1 means the jurors agree completely; 0 means no more than chance."),
    )
