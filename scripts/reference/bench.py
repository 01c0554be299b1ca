#!/usr/bin/env python3
"""NumPy references of the `credit bench` workloads: the same work, written as a NumPy user
would write it (seeds batched along an array axis, the time loop in Python).

Not part of the toolkit and not a dependency of it: a yardstick for `credit bench`
(see ratios.py). Each workload lives in its own module, `<workload with _>.py`, which defines

    def run(quick: bool) -> dict[str, float]

that does the whole workload at the chapter's default (or --quick) parameters and returns a
few summary numbers of its result (for comparison with the chapter's `--data` CSV). Untimed
set-up, where a workload has any, goes in an optional `prepare(quick) -> object`, whose result
is passed as `run(quick, prepared)`.

    python3 scripts/reference/bench.py [NAME ...] [--quick] [--json] [--list]
"""
import argparse
import importlib.util
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# The workloads of `credit bench`, in its order.
WORKLOADS = [
    "step-sizes", "learning-curves", "alignment", "perturbation-scaling", "node-perturbation-bias",
    "random-walk", "consolidation-sweep", "weight-protection", "forgetting", "capacity",
    "bg-selection", "bg-lesion", "two-timescales", "tau-eff", "phase-diagram", "learned-gating",
]


def module(name):
    """The reference module of workload `name`, or None if it has none yet."""
    path = os.path.join(HERE, name.replace("-", "_") + ".py")
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def measure(name, quick):
    """Runs workload `name` once and returns its record (wall and CPU seconds of `run` only)."""
    mod = module(name)
    if mod is None:
        raise SystemExit(f"bench.py: workload '{name}' has no reference module yet")
    prepared = mod.prepare(quick) if hasattr(mod, "prepare") else None
    wall0, cpu0 = time.perf_counter(), time.process_time()
    summary = mod.run(quick, prepared) if prepared is not None else mod.run(quick)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"workload": name, "wall_s": wall, "cpu_s": cpu, "summary": summary}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", metavar="NAME")
    ap.add_argument("--quick", action="store_true", help="the chapters' --quick parameters")
    ap.add_argument("--json", action="store_true", help="one JSON object per workload")
    ap.add_argument("--list", action="store_true", help="list the workloads with a reference")
    a = ap.parse_args()
    if a.list:
        for n in WORKLOADS:
            print(n, "" if module(n) else "(no reference yet)")
        return
    unknown = [n for n in a.names if n not in WORKLOADS]
    if unknown:
        sys.exit(f"bench.py: unknown workload '{unknown[0]}'; accepted: {', '.join(WORKLOADS)}")
    for n in a.names or [w for w in WORKLOADS if module(w)]:
        r = measure(n, a.quick)
        if a.json:
            print(json.dumps(r), flush=True)
        else:
            s = " ".join(f"{k}={v:.6g}" for k, v in r["summary"].items())
            print(f"{n:24s} {r['wall_s']:8.3f} s  cpu {r['cpu_s']:7.2f} s  {s}", flush=True)


if __name__ == "__main__":
    main()
