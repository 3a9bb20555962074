"""numpy's matrix library (OpenBLAS or MKL) kept to one thread in ``hackathon-score``, whose
work is shared among processes instead: :func:`one_blas_thread`, which the console script
(:func:`scoring.cli.run`) calls before numpy is imported.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

BLAS_SETTINGS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread(environ: MutableMapping[str, str] | None = None) -> None:
    """Let numpy's matrix library (OpenBLAS or MKL) run on one thread, unless the user set
    its number of threads: to be called before numpy is imported.

    A run already shares its work among processes (see :mod:`scoring.forks`); BLAS threads
    on top only wait for work, spinning. On the benchmark's jury (benchmarks/) they cost 0.12
    s of CPU with the tables alone and 0.27 s with the charts, for no gain in time, and 0.2 s
    of CPU in a run of one process, again for none.
    """
    environ = os.environ if environ is None else environ
    if not any(environ.get(name) for name in BLAS_SETTINGS):
        environ["OPENBLAS_NUM_THREADS"] = environ["MKL_NUM_THREADS"] = "1"
