#!/usr/bin/env python3
"""Draws the two charts of docs/analytics.md from the demo's ledger (make
demo, database credits_demo) as SVG, with nothing but the standard
library: acme's burn-down (its balance() day by day) and the paid credits'
monthly roll-forward (liability_rollforward).

    PGHOST=... PGPORT=... python3 scripts/analytics_charts.py [database] [out_dir]
"""
import datetime as dt
import subprocess
import sys
from pathlib import Path

DB = sys.argv[1] if len(sys.argv) > 1 else "credits_demo"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "docs" / "img")
W, H, PAD = 640, 320, 56


def rows(sql):
    out = subprocess.run(["psql", "-X", "-At", "-F", "|", "-d", DB, "-c", sql],
                         capture_output=True, text=True, check=True)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def frame(title, ymax, yticks, xlabels):
    """The SVG header, title, y grid with labels and x labels (position, text)."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="13">{title}</text>']
    for v in yticks:
        y = H - PAD - (H - 2 * PAD) * v / ymax
        parts.append(f'<line x1="{PAD}" y1="{y:.1f}" x2="{W - 16}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{v:,.0f}</text>')
    for x, text in xlabels:
        parts.append(f'<text x="{x:.1f}" y="{H - PAD + 16}" text-anchor="middle">{text}</text>')
    return parts


def burn_down():
    data = rows("SELECT d::date, credits.balance('acme', d)::numeric FROM generate_series("
                "'2026-01-01+00'::timestamptz, '2026-05-31+00', '1 day') d")
    values = [float(v) for _, v in data]
    ymax = max(values) * 1.1 or 1
    step = (W - PAD - 16) / (len(values) - 1)
    points = " ".join(f"{PAD + i * step:.1f},{H - PAD - (H - 2 * PAD) * v / ymax:.1f}" for i, v in enumerate(values))
    labels = [(PAD + i * step, day[5:]) for i, (day, _) in enumerate(data) if day.endswith("-01")]
    svg = frame("acme: balance() day by day (demo ledger)", ymax, [ymax / 4 * k for k in range(5)], labels)
    svg.append(f'<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="{points}"/>')
    svg.append("</svg>")
    (OUT / "burn_down.svg").write_text("\n".join(svg) + "\n")


def rollforward():
    data = rows("SELECT to_char(period, 'YYYY-MM'), opening::numeric, granted::numeric, consumed::numeric, "
                "expired::numeric, closing::numeric FROM credits.liability_rollforward("
                "'2026-01-01+00', '2026-06-01+00') WHERE category = 'paid' ORDER BY period")
    ymax = max(max(float(x) for x in r[1:]) for r in data) * 1.15 or 1
    slot = (W - PAD - 16) / len(data)
    svg = frame("paid credits: monthly roll-forward (demo ledger)", ymax, [ymax / 4 * k for k in range(5)],
                [(PAD + slot * (i + 0.5), r[0]) for i, r in enumerate(data)])
    colours = ["#aec7e8", "#2ca02c", "#d62728", "#9467bd", "#1f77b4"]
    names = ["opening", "granted", "consumed", "expired", "closing"]
    bar = slot / 6
    for i, r in enumerate(data):
        for k, v in enumerate(float(x) for x in r[1:]):
            h = (H - 2 * PAD) * v / ymax
            x = PAD + slot * i + bar * (k + 0.5)
            svg.append(f'<rect x="{x:.1f}" y="{H - PAD - h:.1f}" width="{bar * 0.9:.1f}" height="{h:.1f}" '
                       f'fill="{colours[k]}"/>')
    for k, name in enumerate(names):
        svg.append(f'<rect x="{PAD + k * 100}" y="{H - 22}" width="10" height="10" fill="{colours[k]}"/>')
        svg.append(f'<text x="{PAD + k * 100 + 14}" y="{H - 13}">{name}</text>')
    svg.append("</svg>")
    (OUT / "rollforward.svg").write_text("\n".join(svg) + "\n")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    burn_down()
    rollforward()
    print(f"wrote {OUT / 'burn_down.svg'} and {OUT / 'rollforward.svg'}")
