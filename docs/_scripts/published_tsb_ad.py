"""Make the leaderboard tables and the critical-difference diagrams of docs/published.md.

    .venv/bin/python docs/_scripts/published_tsb_ad.py

Reads the TSB-AD tables shipped in ``pate/published/tsb-ad`` and the
values TSB-AD's site prints (``tests/data/tsb_ad_leaderboard_reference.json``,
parsed by ``tests/data/make_published_tsb_ad.py``), writes the two leaderboard
tables (TSB-AD's order and printed VUS-PR beside pate's leaderboard of the same
table) into ``docs/published.md`` between its ``<!-- begin NAME -->`` and
``<!-- end NAME -->`` markers, and draws ``docs/images/published_tsb_ad_u_cd.png``
and ``..._m_cd.png``. Takes about half a minute.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
REPO = DOCS.parent


def table(name: str, reference: dict) -> str:
    from pate.compare import leaderboard, published_results

    board = leaderboard(published_results(name), random_state=0)
    rank_by_rank = {d: i + 1 for i, d in enumerate(board.index)}
    lines = [
        "| TSB-AD rank | detector | TSB-AD VUS-PR | pate mean | mean, 2 d.p. | 95% CI of the mean "
        "| pate average rank (position) | wins |",
        "|---:|---|---:|---:|---:|---|---:|---:|",
    ]
    for i, row in enumerate(reference["leaderboards"][name]["rows"], start=1):
        d = row["method"]
        b = board.loc[d]
        same = "" if f"{b['mean']:.2f}" == row["values"]["VUS-PR"] else " (differs)"
        lines.append(
            f"| {i} | {d} | {row['values']['VUS-PR']} | {b['mean']:.4f} | {b['mean']:.2f}{same} "
            f"| {b['ci_low']:.3f} to {b['ci_high']:.3f} | {b['average_rank']:.2f} ({rank_by_rank[d]}) "
            f"| {int(b['wins'])} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from pate.compare import published_results
    from pate.plot import CriticalDifferenceDisplay

    reference = json.loads((REPO / "tests" / "data" / "tsb_ad_leaderboard_reference.json").read_text("utf-8"))
    page = DOCS / "published.md"
    text = page.read_text("utf-8")
    for name, short in (("tsb-ad-u", "u"), ("tsb-ad-m", "m")):
        markers = re.compile(rf"(<!-- begin {name} -->\n).*?(<!-- end {name} -->)", re.S)
        if not markers.search(text):
            raise SystemExit(f"{page}: no <!-- begin {name} --> ... <!-- end {name} --> markers")
        rows = table(name, reference)
        text = markers.sub(lambda m, rows=rows: m.group(1) + rows + m.group(2), text)
        display = CriticalDifferenceDisplay.from_results(published_results(name))
        path = DOCS / "images" / f"published_tsb_ad_{short}_cd.png"
        display.figure_.savefig(path, dpi=110, bbox_inches="tight")
        print(f"wrote {path.relative_to(REPO)}")
    page.write_text(text, encoding="utf-8")
    print(f"wrote the tables into {page.relative_to(REPO)}")


if __name__ == "__main__":
    main()
