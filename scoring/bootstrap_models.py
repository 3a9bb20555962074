"""Judge effects, Borda and Copeland vectorised over bootstrap resamples.

Same contract as :mod:`scoring.bootstrap_methods`: each ``*_location(values, method)`` takes
the dense (jurors, teams, criteria) marks and returns ``location(counts)`` -> (resamples,
teams, criteria) and the bytes one resample needs.
"""

from __future__ import annotations

import numpy as np

from scoring.config import Method
from scoring.methods import comparable

# Residual of the juror-effect equations, relative to their right-hand side.
TOLERANCE = 1e-12


def judge_effects_location(values: np.ndarray, method: Method) -> tuple:
    """``scoring.effects.judge_effects``: overall + team effect, for every resample at once.

    Drawing a juror ``m`` times weights their marks by ``m`` in the least-squares fit of
    score = overall + team + juror, i.e. ``scoring.effects`` on a jury where a juror drawn
    twice sits twice; juror effects sum to zero over that jury. Like ``scoring.effects``, the
    team effects are eliminated, leaving the reduced normal equations for the juror effects,
    here solved for all resamples and criteria together by conjugate gradients (Jacobi
    preconditioned; a few matrix products per step, where plain backfitting needs thousands
    of sweeps on weakly linked designs such as panels joined by one juror). In a resample
    whose drawn jurors fall into groups that share no teams, the groups' levels are not
    comparable (the full jury would have been refused); the result is still finite.

    Examples
    --------
    >>> marks = np.array([[[6.0], [8.0]], [[4.0], [6.0]]])  # jurors a, b × teams S, T
    >>> location, _ = judge_effects_location(marks, Method(name="judge_effects"))
    >>> location(np.ones((1, 2)))[0, :, 0].round(9).tolist()
    [5.0, 7.0]
    """
    # contiguous copies: matmul on strided views falls back to a loop far slower than BLAS
    present = np.ascontiguousarray(np.moveaxis(~np.isnan(values), 2, 0), dtype=float)  # C, J, T
    present_t = np.ascontiguousarray(present.transpose(0, 2, 1))
    marks = np.ascontiguousarray(np.moveaxis(np.nan_to_num(values), 2, 0))
    per_juror, juror_sums = present.sum(axis=2)[:, None, :], marks.sum(axis=2)[:, None, :]

    def location(counts: np.ndarray) -> np.ndarray:
        weight = counts @ present  # (C, B, T): marks per team, with multiplicity
        inverse = np.divide(1.0, weight, out=np.zeros_like(weight), where=weight > 0)
        team_means = (counts @ marks) * inverse

        def reduced(effect: np.ndarray) -> np.ndarray:  # C_m @ effect, batched
            spread = (((counts * effect) @ present) * inverse) @ present_t
            return counts * (per_juror * effect - spread)

        adjusted = counts * (juror_sums - team_means @ present_t)
        diagonal = counts * per_juror
        effect = _conjugate_gradient(reduced, adjusted, diagonal)
        effect -= (effect * counts).sum(axis=2, keepdims=True) / counts.sum(axis=1)[:, None]
        score = team_means - ((counts * effect) @ present) * inverse
        return np.moveaxis(np.where(weight > 0, score, np.nan), 0, 2)

    return location, 8 * 6 * values.shape[1] * values.shape[2]


def _conjugate_gradient(apply, rhs: np.ndarray, diagonal: np.ndarray) -> np.ndarray:
    """Solve ``apply(x) = rhs`` for a batch of symmetric semi-definite systems (last axis).

    Jacobi-preconditioned; rows with a zero diagonal (jurors not drawn) stay 0. A system
    stops once its residual is below 1e-12 of its right-hand side (or after 10 × size steps,
    which exact arithmetic would not need), whatever the others do: stepping on from a
    solution, with a direction and curvature of rounding noise, moves it off again (by up to
    a quarter of a point in a team's score), so that a resample's result would depend on the
    resamples solved beside it.
    """
    scale = np.divide(1.0, diagonal, out=np.zeros_like(diagonal), where=diagonal > 0)
    solution = np.zeros_like(rhs)
    residual = rhs.copy()
    preconditioned = residual * scale
    direction = preconditioned.copy()
    product = (residual * preconditioned).sum(axis=-1, keepdims=True)
    limit = TOLERANCE * np.maximum(np.abs(rhs).max(axis=-1, keepdims=True), 1.0)
    for _ in range(10 * rhs.shape[-1] + 10):
        going = np.abs(residual).max(axis=-1, keepdims=True) > limit
        if not going.any():
            break
        image = apply(direction)
        curvature = (direction * image).sum(axis=-1, keepdims=True)
        step = np.divide(
            product, curvature, out=np.zeros_like(product), where=going & (curvature > 0)
        )
        solution += step * direction
        residual -= step * image
        preconditioned = residual * scale
        new_product = (residual * preconditioned).sum(axis=-1, keepdims=True)
        ratio = np.divide(new_product, product, out=np.zeros_like(product), where=product > 0)
        direction = preconditioned + ratio * direction
        product = new_product
    return solution


def borda_location(values: np.ndarray, method: Method) -> tuple:
    """``scoring.preferences.borda``: each juror's normalised points, averaged with weights.

    A juror's points depend only on their own marks, so they are computed once; a resample
    averages them with the multiplicities over the jurors who scored the team.

    Examples
    --------
    >>> totals = np.array([[[9.0], [5.0], [1.0]], [[4.0], [6.0], [np.nan]]])  # 2 jurors
    >>> location, _ = borda_location(totals, Method(name="borda"))
    >>> location(np.ones((1, 2)))[0, :, 0].tolist()
    [0.5, 0.75, 0.0]
    """
    totals = comparable(values[:, :, 0])  # juror-first: one "criterion", the total
    seen = ~np.isnan(totals)
    n = seen.sum(axis=1, keepdims=True)
    # position 1 = best; ties share the mean of their positions
    higher = (totals[:, None, :] > totals[:, :, None]).sum(axis=2)
    equal = (totals[:, None, :] == totals[:, :, None]).sum(axis=2)
    position = higher + (equal + 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        points = np.where(seen & (n > 1), (n - position) / (n - 1), np.nan)
    has_points = (~np.isnan(points)).astype(float)
    filled = np.nan_to_num(points)

    def location(counts: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return ((counts @ filled) / (counts @ has_points))[:, :, None]

    return location, 16 * values.shape[1]


def copeland_location(values: np.ndarray, method: Method) -> tuple:
    """``scoring.preferences.copeland``: majority contests decided by the drawn jurors.

    Per juror, the pairwise signs (+1 the juror put a above b, -1 below, 0 tied or not both
    seen) and which pairs they saw are fixed; a resample sums them with the multiplicities
    (one matrix product) and the sign of the sum decides each contest.

    Examples
    --------
    >>> totals = np.array([[[9.0], [5.0], [1.0]], [[4.0], [6.0], [np.nan]]])  # 2 jurors
    >>> location, _ = copeland_location(totals, Method(name="copeland"))
    >>> location(np.ones((1, 2)))[0, :, 0].tolist()
    [0.5, 0.5, -1.0]
    """
    from scipy.sparse import csr_matrix  # imported only when this method runs

    totals = comparable(values[:, :, 0])
    teams = totals.shape[1]
    upper = np.triu_indices(teams, k=1)
    a, b = totals[:, upper[0]], totals[:, upper[1]]
    both = ~np.isnan(a) & ~np.isnan(b)
    signs = np.where(both, np.sign(np.nan_to_num(a - b)), 0.0).astype(np.float32)
    seen = both.astype(np.float32)

    # pair -> team: +1 for the pair's first team, -1 for its second (sums a team's contests)
    pairs = len(upper[0])
    rows = np.concatenate([np.arange(pairs), np.arange(pairs)])
    incidence = csr_matrix(
        (np.r_[np.ones(pairs), -np.ones(pairs)], (rows, np.r_[upper[0], upper[1]])),
        shape=(pairs, teams),
    )
    either = abs(incidence).T.tocsr()
    signed = incidence.T.tocsr()

    def location(counts: np.ndarray) -> np.ndarray:
        weights = counts.astype(np.float32)
        net = np.sign(weights @ signs).astype(float)  # (B, pairs): +1 first team won
        contested = ((weights @ seen) > 0).astype(float)
        won = (signed @ net.T).T
        number = (either @ contested.T).T
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(number > 0, won / number, np.nan)[:, :, None]

    return location, 4 * 8 * len(upper[0])
