#!/usr/bin/env python3
"""`credit bench` against the NumPy references, run interleaved in one session.

For each round and each workload it runs the Swift workload (`credit bench NAME --json`) and
its NumPy reference (bench.py), alternating which goes first, and keeps each side's best
wall time. Prints workload | Swift s | NumPy s | ratio (NumPy / Swift, wall time).

    python3 scripts/reference/ratios.py [NAME ...] [--rounds N] [--quick] [--credit PATH] [--json]
"""
import argparse
import json
import os
import subprocess
import sys

import bench

ROOT = os.path.dirname(os.path.dirname(bench.HERE))


def credit_path():
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "credit")


def swift_wall(credit, name, quick):
    cmd = [credit, "bench", name, "--json", "--repeat", "1"] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["wall_s"]


def numpy_wall(name, quick):
    cmd = [sys.executable, os.path.join(bench.HERE, "bench.py"), name, "--json"] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["wall_s"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", metavar="NAME")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best of them is kept)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--credit", help="path of the credit executable (default: the release build)")
    ap.add_argument("--json", action="store_true", help="one JSON object per workload")
    a = ap.parse_args()
    if not 1 <= a.rounds <= 50:
        sys.exit(f"ratios.py: --rounds must be 1 to 50, got {a.rounds}")
    names = a.names or [w for w in bench.WORKLOADS if bench.module(w)]
    unknown = [n for n in names if n not in bench.WORKLOADS]
    if unknown:
        sys.exit(f"ratios.py: unknown workload '{unknown[0]}'; accepted: {', '.join(bench.WORKLOADS)}")
    credit = a.credit or credit_path()
    best = {n: [float("inf"), float("inf")] for n in names}
    for r in range(a.rounds):
        for n in names:
            sides = [0, 1] if r % 2 == 0 else [1, 0]
            for side in sides:
                t = swift_wall(credit, n, a.quick) if side == 0 else numpy_wall(n, a.quick)
                best[n][side] = min(best[n][side], t)
    if not a.json:
        print(f"{'workload':24s} {'Swift s':>9s} {'NumPy s':>9s} {'ratio':>7s}")
    for n in names:
        s, p = best[n]
        if a.json:
            print(json.dumps({"workload": n, "swift_wall_s": s, "numpy_wall_s": p, "ratio": p / s}))
        else:
            print(f"{n:24s} {s:9.3f} {p:9.3f} {p / s:7.1f}")


if __name__ == "__main__":
    main()
