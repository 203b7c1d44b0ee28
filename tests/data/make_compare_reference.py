"""Reference values for pate.compare from the established implementations.

Run ONCE in a scratch virtualenv outside the repository (never a dependency of pate):

    python3 -m venv /tmp/compare-ref
    /tmp/compare-ref/bin/pip install scikit-posthocs statsmodels aeon
    /tmp/compare-ref/bin/python tests/data/make_compare_reference.py

Versions used for the committed file are recorded in it ("versions"). For each
case (a series x detector matrix of one metric, inputs stored too) it records:

* scipy.stats.friedmanchisquare (k >= 3): tie-corrected chi-square and p-value;
* scikit-posthocs posthoc_nemenyi_friedman: the Nemenyi p-value matrix;
* aeon's Nemenyi q_alpha table (3 decimals) as a critical difference, and the
  clique builder of aeon.visualisation's critical-difference plot applied to
  Demsar's rule with the exact q_alpha. aeon 1.6.0's own nemenyi_test reads its
  table one entry too far (q for k + 1 detectors, a larger CD); its CD and
  cliques as published are recorded too ("aeon_published_...");
* scipy.stats.wilcoxon two-sided p-values per pair (scipy defaults) and
  statsmodels multipletests(method="holm") over all k(k-1)/2 pairs;
* aeon's clique builder applied to the Holm decisions (adjusted p > alpha) in
  rank order: equal to pate's groups whenever the decisions are interval-
  consistent; aeon checks each clique only against its first member, so where
  they are not, the two differ (recorded as "aeon_holm_cliques").

Rank order: average rank ascending (1 = best, higher value is better), ties by name.
"""

from __future__ import annotations

import itertools
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("compare_reference.json")
ALPHA = 0.05


def cases():
    rng = np.random.default_rng(20240601)
    out = []

    def add(name, values, detectors=None):
        n, k = values.shape
        detectors = detectors or [f"det_{j:02d}" for j in range(k)]
        out.append(
            {"name": name, "series": [f"s{i:02d}" for i in range(n)], "detectors": detectors, "values": values.tolist()}
        )

    # distinct quality levels so that some, not all, pairs differ
    quality = np.linspace(0.0, 0.6, 6)
    add("continuous_20x6", rng.random((20, 6)) * 0.5 + quality)
    add("ties_within_series_15x6", np.round(rng.random((15, 6)) + quality, 1))
    base = rng.random((12, 4)) + np.linspace(0, 0.8, 4)
    add("identical_detectors_12x4", np.column_stack([base, base[:, 1]]))
    add("two_detectors_10x2", rng.random((10, 2)) + [0.0, 0.3])
    add("small_exact_6x3", rng.random((6, 3)) + [0.0, 0.5, 1.0])
    add("many_detectors_40x30", rng.random((40, 30)) + np.linspace(0, 1.5, 30))
    zeros = rng.random((25, 5)) + np.linspace(0, 0.5, 5)
    zeros[:8, 1] = zeros[:8, 0]  # some zero differences between det_00 and det_01
    add("some_zero_differences_25x5", zeros)
    add(
        "long_names_30x8",
        rng.random((30, 8)) + np.linspace(0, 0.9, 8),
        detectors=[f"a_rather_long_detector_name_{j}" for j in range(8)],
    )
    return out


def reference(case):
    # the reference packages live only in the scratch virtualenv (imported here, so that
    # pytest's doctest collection can import this file without them)
    import scikit_posthocs as sp
    from aeon.benchmarking.stats import _get_qalpha
    from aeon.benchmarking.stats import nemenyi_test as aeon_nemenyi
    from aeon.visualisation.results._critical_difference import _build_cliques
    from scipy.stats import friedmanchisquare, rankdata, studentized_range, wilcoxon
    from statsmodels.stats.multitest import multipletests

    values = np.asarray(case["values"], float)
    names = case["detectors"]
    n, k = values.shape
    ranks = rankdata(-values, axis=1)
    avg = ranks.mean(axis=0)
    order = sorted(range(k), key=lambda j: (avg[j], names[j]))
    ordered = [names[j] for j in order]
    ref = {"average_ranks": {names[j]: float(avg[j]) for j in range(k)}, "order": ordered}
    if k >= 3:
        fr = friedmanchisquare(*values.T)
        ref["friedman"] = {"statistic": float(fr.statistic), "pvalue": float(fr.pvalue)}
    nem = sp.posthoc_nemenyi_friedman(values)
    ref["nemenyi_pvalues"] = {
        f"{names[i]}|{names[j]}": float(nem.iloc[i, j]) for i, j in itertools.combinations(range(k), 2)
    }
    if 2 <= k <= 50:
        scale = np.sqrt(k * (k + 1) / (6 * n))
        # aeon's table holds q_alpha for k detectors at index k - 1 (index 1 is 1.960, k = 2) ...
        ref["aeon_table_critical_difference"] = float(_get_qalpha(ALPHA)[k - 1] * scale)
        # ... but aeon 1.6.0's nemenyi_test reads index k (the value for k + 1 detectors): recorded as published
        ref["aeon_published_critical_difference"] = float(_get_qalpha(ALPHA)[k] * scale)
        clq = _build_cliques(aeon_nemenyi(avg[order], n, ALPHA).astype(int))
        ref["aeon_published_nemenyi_cliques"] = [[ordered[j] for j in np.flatnonzero(row)] for row in clq]
        # aeon's clique builder on Demsar's rule with the exact q_alpha (scipy.stats.studentized_range)
        exact_cd = studentized_range.ppf(1 - ALPHA, k, np.inf) / np.sqrt(2) * scale
        ordered_avg = avg[order]
        within = (np.abs(ordered_avg[None, :] - ordered_avg[:, None]) < exact_cd).astype(int)
        clq = _build_cliques(np.triu(within))
        ref["aeon_nemenyi_cliques_exact_cd"] = [[ordered[j] for j in np.flatnonzero(row)] for row in clq]
    pairs = list(itertools.combinations(range(k), 2))
    raw = []
    for i, j in pairs:
        if np.all(values[:, i] == values[:, j]):
            raw.append(1.0)
        else:
            raw.append(float(wilcoxon(values[:, i], values[:, j]).pvalue))
    adj = multipletests(raw, method="holm")[1]
    ref["wilcoxon_pvalues"] = {f"{names[i]}|{names[j]}": p for (i, j), p in zip(pairs, raw)}
    ref["holm_adjusted_pvalues"] = {f"{names[i]}|{names[j]}": float(p) for (i, j), p in zip(pairs, adj)}
    notsig = np.eye(k, dtype=int)
    position = {j: p for p, j in enumerate(order)}
    for (i, j), p in zip(pairs, adj):
        a, b = sorted((position[i], position[j]))
        notsig[a, b] = int(p >= ALPHA)
    clq = _build_cliques(notsig.copy())
    ref["aeon_holm_cliques"] = [[ordered[j] for j in np.flatnonzero(row)] for row in clq]
    return ref


def main():
    data = {
        "alpha": ALPHA,
        "versions": {p: version(p) for p in ("scipy", "scikit-posthocs", "statsmodels", "aeon", "numpy")},
        "python": sys.version.split()[0],
        "cases": [],
    }
    for case in cases():
        case["reference"] = reference(case)
        data["cases"].append(case)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT} ({len(data['cases'])} cases)")


if __name__ == "__main__":
    main()
