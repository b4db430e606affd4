"""Trajectories (pure): the scales coaches score on, and the figures made from them.

Goal Attainment Scaling (Kiresuk & Sherman, 1968) scores each personal goal at a review from
-2 (much less than expected) through 0 (the expected outcome) to +2 (much more). A person's
goals combine into one T-score, 50 when every goal ends exactly as expected, with ρ = 0.3 the
assumed correlation between a person's goal scores:

    T = 50 + 10 Σ wᵢxᵢ / √((1 − ρ) Σ wᵢ² + ρ (Σ wᵢ)²)

The Participatieladder (Divosa) places a person on six rungs, from isolated (1) to paid work
without support (6); the rung is recorded at intake and at every review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

RHO = 0.3
GAS_LABELS: dict[int, str] = {
    -2: "Veel minder dan verwacht",
    -1: "Minder dan verwacht",
    0: "Zoals verwacht",
    1: "Meer dan verwacht",
    2: "Veel meer dan verwacht",
}
LADDER_RUNGS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
LADDER_LABELS: dict[int, str] = {
    1: "Geïsoleerd",
    2: "Sociale contacten buitenshuis",
    3: "Deelname aan georganiseerde activiteiten",
    4: "Onbetaald werk",
    5: "Betaald werk met ondersteuning",
    6: "Betaald werk",
}


def gas_t_score(scores: Sequence[int], weights: Sequence[int] | None = None, rho: float = RHO) -> float:
    """The Kiresuk-Sherman T-score of one person's goal scores (equal weights unless given)."""
    if not scores:
        raise ValueError("a T-score needs at least one goal score")
    w = [1] * len(scores) if weights is None else list(weights)
    if len(w) != len(scores):
        raise ValueError("one weight per goal score")
    spread = math.sqrt((1 - rho) * sum(x * x for x in w) + rho * sum(w) ** 2)
    return 50 + 10 * sum(wi * xi for wi, xi in zip(w, scores, strict=True)) / spread
