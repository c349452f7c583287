"""Simulator sweep for the false-alarm budget: per fault and camera view, how often the fault is
*reported* on clean simulated reps (false alarms) and on reps with the fault injected at its
default magnitude (detection), with the shipped config (threshold table + false-alarm budget).

    python benchmarks/fault_views.py            # table for docs/thresholds.md
    python benchmarks/fault_views.py --json     # the numbers

Views: side (camera yaw 0), oblique (yaw 45), front (yaw 90); deadlift; seeds 0-3; 1.5 px
noise. Clean: 3 reps per seed. Injected: 2 reps per seed, the fault in the second. Reps are
analysed from the simulated keypoints with the rendered silhouette (so the back outline is
measured as in a video). A fault that is not checked from a view shows "not checked": it is
never reported there, whatever the motion. The simulator is no substitute for real clips --
its clean reps are cleaner than any video -- so the shared-clip rates decide the budget.
"""

from __future__ import annotations

import json
import sys

from liftsafe.app.demo import analyze_simulation
from liftsafe.result import Exercise, FaultCode, View
from liftsafe.simulate.lifter import SimConfig, simulate_lift
from liftsafe.technique.config import default_config

VIEWS = {View.SIDE: 0.0, View.OBLIQUE: 45.0, View.FRONT: 90.0}
SEEDS = (0, 1, 2, 3)


def sweep() -> dict[str, dict[str, dict[str, float | int | str]]]:
    cfg = default_config()
    out: dict[str, dict[str, dict]] = {c.value: {} for c in FaultCode}
    for view, yaw in VIEWS.items():
        clean = {c: 0 for c in FaultCode}
        n_clean = 0
        for seed in SEEDS:
            res = analyze_simulation(
                simulate_lift(
                    SimConfig(
                        exercise=Exercise.DEADLIFT, n_reps=3, camera_yaw_deg=yaw, seed=seed, noise_px=1.5
                    )
                )
            ).result
            for rep in res.reps:
                n_clean += 1
                for f in rep.faults:
                    clean[f.code] += 1
        for code in FaultCode:
            t = cfg.threshold(code)
            b = cfg.budget_for(code, view)
            if view not in t.views or b is None or b.floor is None:
                out[code.value][view.value] = {
                    "status": "not checked",
                    "clean_reps": n_clean,
                    "false_alarms": 0,
                }
                continue
            found = n = 0
            for seed in SEEDS:
                res = analyze_simulation(
                    simulate_lift(
                        SimConfig(
                            exercise=Exercise.DEADLIFT,
                            n_reps=2,
                            faults={1: {code}},
                            camera_yaw_deg=yaw,
                            seed=seed,
                            noise_px=1.5,
                        )
                    )
                ).result
                if res.rep_count == 2:
                    n += 1
                    found += any(f.code is code for f in res.reps[1].faults)
            out[code.value][view.value] = {
                "status": f"{b.floor.value}+",
                "clean_reps": n_clean,
                "false_alarms": clean[code],
                "injected": n,
                "detected": found,
            }
    return out


def markdown(data) -> str:
    lines = ["| fault | side: false alarms / detection | oblique | front |", "|---|---|---|---|"]
    for code, views in data.items():
        cells = []
        for v in VIEWS:
            x = views[v.value]
            if x["status"] == "not checked":
                cells.append("not checked")
            else:
                cells.append(f"{x['false_alarms']}/{x['clean_reps']} · {x['detected']}/{x['injected']}")
        lines.append(f"| `{code}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    result = sweep()
    print(json.dumps(result, indent=1) if "--json" in sys.argv else markdown(result), end="")
