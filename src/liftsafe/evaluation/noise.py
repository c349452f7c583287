"""Noise figures of an evaluation and the false-alarm budget derived from it.

* **False-alarm rate** of a fault: the share of reps of sound (``good``-labelled) lifts it was
  *reported* on (any severity), overall and by the camera view the analysis found.
* **Recall** of a fault: the share of clips labelled with it on which it was reported (any
  severity), and at major or unsafe (what changes the verdict).
* **Faults per sound lift**: mean number of distinct fault codes reported per sound lift that
  got a verdict; and the share of those with a major or unsafe fault.
* **Not checked**: how often each fault was not checked, by reason.
* **Budget** (:func:`derive`): :func:`liftsafe.technique.budget.derive_budget` on every rep of
  the sound clips -- what ``liftsafe evaluate --budget-out`` writes.
* **Leave one source out** (:func:`held_out`): for each source group, the budget is derived
  from the *other* groups' sound clips and each clip of the held-out group is re-judged with
  it through the product's verdict path (:mod:`liftsafe.technique.verdict`) on its recorded
  metrics; the issue's targets are computed on these held-out verdicts. The floors are fitted
  without the held-out source; whether a fault has been measured on enough sound reps to be
  judged at all (``MIN_SOUND_REPS``) is counted on every sound clip -- a data-set size, not a
  fitted value (with 10-13 measured sound reps per fault, any held-out source would otherwise
  leave the fold without the evidence to judge the back at all).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Any

from liftsafe.evaluation.metrics import balanced_accuracy, confusion
from liftsafe.evaluation.run import ClipOutcome
from liftsafe.result import Exercise, FaultCode, Verdict, View
from liftsafe.technique.budget import SoundRep, derive_budget
from liftsafe.technique.config import AnalysisConfig, default_config
from liftsafe.technique.verdict import CONFIG_KINDS, config_unavailable, judge

#: the faults the issue's recall target names
NAMED_FAULTS = ("rounded_back", "hips_rise_first", "squatting_the_hinge")


def _yaw(o: ClipOutcome) -> float:
    y = o.yaw_deg
    return float("nan") if y is None else float(y)


def sound_reps(outcomes: list[ClipOutcome]) -> list[SoundRep]:
    """Every rep of every sound clip the analysis found reps in."""
    out = []
    for o in outcomes:
        if o.label != "good" or o.result is None:
            continue
        view = View(o.result["view"])
        for r in o.result["reps"]:
            out.append(
                SoundRep(
                    view, _yaw(o), Exercise(o.result["exercise"]), r["metrics"], o.group or o.file, o.file
                )
            )
    return out


def derive(
    outcomes: list[ClipOutcome],
    config: AnalysisConfig | None = None,
    *,
    evidence: list[ClipOutcome] | None = None,
):
    """The budget derived from all sound clips of ``outcomes`` (``evidence``: the clips whose
    number of measured sound reps decides whether a fault can be judged at all; default
    ``outcomes``, see :func:`liftsafe.technique.budget.derive_budget`)."""
    return derive_budget(
        sound_reps(outcomes),
        config or default_config(),
        evidence=None if evidence is None else sound_reps(evidence),
    )


def rejudge(o: ClipOutcome, config: AnalysisConfig) -> dict[str, Any] | None:
    """The clip re-judged under ``config`` from its recorded metrics (product verdict path):
    verdict, reported faults per rep ({code: severity}), whether the back was judged; None
    for an error row."""
    r = o.result
    if r is None:
        return None
    exercise, view, yaw = Exercise(r["exercise"]), View(r["view"]), _yaw(o)
    missing = set(config_unavailable(exercise, view, yaw, config))
    kept = {FaultCode(x["code"]) for x in r.get("not_checked", []) if x.get("kind") not in CONFIG_KINDS}
    skip = missing | kept
    reps = [
        {
            j.threshold.code.value: j.severity.value
            for j in judge(rep["metrics"], exercise=exercise, view=view, config=config, skip=skip)
        }
        for rep in r["reps"]
    ]
    checkable = [t for t in config.thresholds if exercise in t.limits and t.code not in skip]
    if not reps or not checkable:
        verdict = Verdict.NOT_JUDGED
    else:
        worst = max((_RANK[s] for rep in reps for s in rep.values()), default=0)
        verdict = Verdict.UNSAFE if worst == 3 else Verdict.NEEDS_WORK if worst == 2 else Verdict.GOOD
    spine = FaultCode.ROUNDED_BACK
    spine_measured = any(
        (v := rep["metrics"].get("dorsal_curvature_pull")) is not None and math.isfinite(v)
        for rep in r["reps"]
    )
    judged = bool(reps) and spine not in skip and spine_measured and verdict != Verdict.NOT_JUDGED
    return {"verdict": verdict.value, "reps": reps, "judged": judged}


_RANK = {"minor": 1, "major": 2, "unsafe": 3}


def figures(outcomes: list[ClipOutcome], judged: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """The noise figures and the issue's targets from per-clip judgements (``rejudge`` output,
    or the product's own results)."""
    sound = [o for o in outcomes if o.label == "good" and judged.get(o.file)]
    sound_verdict = [o for o in sound if judged[o.file]["verdict"] != Verdict.NOT_JUDGED.value]
    n_reps = sum(len(judged[o.file]["reps"]) for o in sound)
    per_fault: dict[str, dict[str, Any]] = {}
    codes = [c.value for c in FaultCode]
    for code in codes:
        fired = sum(1 for o in sound for rep in judged[o.file]["reps"] if code in rep)
        by_view: dict[str, list[int]] = {}
        for o in sound:
            v = o.result["view"]
            cell = by_view.setdefault(v, [0, 0])
            for rep in judged[o.file]["reps"]:
                cell[1] += 1
                cell[0] += code in rep
        labelled = [o for o in outcomes if o.true_fault == code and judged.get(o.file)]
        found_any = sum(1 for o in labelled if any(code in rep for rep in judged[o.file]["reps"]))
        found_major = sum(
            1 for o in labelled if any(_RANK.get(rep.get(code, ""), 0) >= 2 for rep in judged[o.file]["reps"])
        )
        per_fault[code] = {
            "sound_reps": n_reps,
            "false_alarms": fired,
            "false_alarm_rate": fired / n_reps if n_reps else None,
            "by_view": {
                v: {"sound_reps": n, "false_alarms": k, "rate": k / n if n else None}
                for v, (k, n) in sorted(by_view.items())
            },
            "labelled_clips": len(labelled),
            "found": found_any,
            "found_major": found_major,
            "recall": found_any / len(labelled) if labelled else None,
        }
    distinct = [len({c for rep in judged[o.file]["reps"] for c in rep}) for o in sound_verdict]
    major = [o for o in sound_verdict if judged[o.file]["verdict"] in (Verdict.NEEDS_WORK, Verdict.UNSAFE)]
    named = [o for o in outcomes if o.true_fault in NAMED_FAULTS and judged.get(o.file)]
    named_found = [o for o in named if any(o.true_fault in rep for rep in judged[o.file]["reps"])]
    pairs = [
        (o.label, "good" if judged[o.file]["verdict"] == "good" else "bad")
        for o in outcomes
        if judged.get(o.file) and judged[o.file]["judged"]
    ]
    tp, fn, fp, tn = confusion(pairs)
    rb = per_fault["rounded_back"]
    return {
        "sound_lifts": len(sound_verdict),
        "sound_reps": n_reps,
        "mean_distinct_faults_per_sound_lift": sum(distinct) / len(distinct) if distinct else None,
        "sound_lifts_with_major": len(major),
        "sound_lift_major_share": len(major) / len(sound_verdict) if sound_verdict else None,
        "named_faults_labelled": len(named),
        "named_faults_found": len(named_found),
        "named_fault_recall": len(named_found) / len(named) if named else None,
        "named_faults_missed": [o.file for o in named if o not in named_found],
        "balanced_accuracy": balanced_accuracy(tp, fn, fp, tn),
        "confusion": [tp, fn, fp, tn],
        "judged": len(pairs),
        "rounded_back": {
            "recall": rb["recall"],
            "found": rb["found"],
            "labelled": rb["labelled_clips"],
            "false_alarms_on_sound_reps": rb["false_alarms"],
        },
        "faults": per_fault,
    }


def product_judgements(outcomes: list[ClipOutcome]) -> dict[str, dict[str, Any] | None]:
    """The product's own judgements, read from the results."""
    out: dict[str, dict[str, Any] | None] = {}
    for o in outcomes:
        r = o.result
        out[o.file] = (
            None
            if r is None
            else {
                "verdict": r["verdict"],
                "reps": [{f["code"]: f["severity"] for f in rep["faults"]} for rep in r["reps"]],
                "judged": o.judged and r["verdict"] != Verdict.NOT_JUDGED.value,
            }
        )
    return out


def not_checked_counts(outcomes: list[ClipOutcome]) -> dict[str, dict[str, int]]:
    """fault code -> reason -> number of clips it was not checked in."""
    counts: dict[str, Counter] = {}
    for o in outcomes:
        for x in (o.result or {}).get("not_checked", []):
            counts.setdefault(x["code"], Counter())[x["reason"]] += 1
    return {c: dict(v.most_common()) for c, v in sorted(counts.items())}


def held_out(outcomes: list[ClipOutcome], config: AnalysisConfig | None = None) -> dict[str, Any]:
    """Leave-one-source-out (module docstring): the targets on held-out budgets."""
    config = config or default_config()
    groups = list(dict.fromkeys(o.group or o.file for o in outcomes))
    judged: dict[str, dict[str, Any] | None] = {}
    changed: dict[str, list[str]] = {}
    for g in groups:
        train = [o for o in outcomes if (o.group or o.file) != g]
        budget = derive(train, config, evidence=outcomes)  # floors without g; evidence: all clips
        fold = replace(config, budget=budget)
        base = {(b.code, b.view): b.floor for b in config.budget}
        diff = [
            f"{b.code.value}/{b.view.value}: {_floor(base.get((b.code, b.view)))} -> {_floor(b.floor)}"
            for b in budget
            if base.get((b.code, b.view)) != b.floor
        ]
        if diff:
            changed[g] = diff
        for o in outcomes:
            if (o.group or o.file) == g:
                judged[o.file] = rejudge(o, fold)
    out = figures(outcomes, judged)
    out["scheme"] = "leave one source out"
    out["folds"] = len(groups)
    out["budget_changes_by_held_out_source"] = changed
    return out


def _floor(s) -> str:
    return "not checked" if s is None else s.value


def noise_report(outcomes: list[ClipOutcome], config: AnalysisConfig | None = None) -> dict[str, Any]:
    """Everything ``liftsafe evaluate`` reports about noise: the product's figures on these
    clips (with the shipped budget, which may have been derived from them), the same figures
    leave-one-source-out, the not-checked counts, and the budget derived from all of them."""
    config = config or default_config()
    return {
        "product": figures(outcomes, product_judgements(outcomes)),
        "held_out": held_out(outcomes, config),
        "not_checked": not_checked_counts(outcomes),
        "derived_budget": [
            {
                "code": b.code.value,
                "view": b.view.value,
                "floor": _floor(b.floor),
                "sound_reps": b.sound_reps,
                "fires": b.fires,
                "measured_on": b.measured_on,
            }
            for b in derive(outcomes, config)
        ],
    }


def markdown_noise(noise: dict[str, Any]) -> str:
    """The noise section of evaluation.md."""

    def f(x):
        return "-" if x is None else f"{x:.2f}"

    lines = ["", "## Noise: false alarms on sound lifts, recall on labelled faults", ""]
    for key, title in (
        ("product", "the product as shipped (its budget may come from these clips)"),
        ("held_out", "leave one source out (budget derived without the held-out source)"),
    ):
        s = noise[key]
        lines += [
            f"**{title}**: mean distinct faults per sound lift {f(s['mean_distinct_faults_per_sound_lift'])} "
            f"({s['sound_lifts']} sound lifts with a verdict); major/unsafe on {s['sound_lifts_with_major']} "
            "of them "
            f"({f(s['sound_lift_major_share'])}); named faults found in {s['named_faults_found']} of "
            f"{s['named_faults_labelled']} clips ({f(s['named_fault_recall'])}); verdict balanced accuracy "
            f"{f(s['balanced_accuracy'])} on {s['judged']} judged clips (TP/FN/FP/TN {s['confusion']}); "
            f"rounded back found in {s['rounded_back']['found']} of {s['rounded_back']['labelled']}, "
            "reported on "
            f"{s['rounded_back']['false_alarms_on_sound_reps']} sound reps.",
            "",
        ]
    lines += [
        "| fault | false-alarm rate on sound reps (product) | by view | held out | recall on labelled clips "
        "(any severity / major) |",
        "|---|---|---|---|---|",
    ]
    prod, held = noise["product"]["faults"], noise["held_out"]["faults"]
    for code, p in prod.items():
        views = ", ".join(f"{v} {c['false_alarms']}/{c['sound_reps']}" for v, c in p["by_view"].items())
        rec = (
            "-"
            if not p["labelled_clips"]
            else f"{p['found']}/{p['labelled_clips']} / {p['found_major']}/{p['labelled_clips']}"
        )
        lines.append(
            f"| `{code}` | {p['false_alarms']}/{p['sound_reps']} ({f(p['false_alarm_rate'])}) | {views} | "
            f"{held[code]['false_alarms']}/{held[code]['sound_reps']} | {rec} |"
        )
    if noise["not_checked"]:
        lines += ["", "Not checked (clips, by reason):", ""]
        for code, reasons in noise["not_checked"].items():
            lines.append(f"- `{code}`: " + "; ".join(f"{n} x {r}" for r, n in reasons.items()))
    return "\n".join(lines) + "\n"


def evaluate_noise(
    outcomes: list[ClipOutcome], config: AnalysisConfig | None, out_dir, written: dict, *, budget_out=None
) -> dict[str, Any]:
    """The noise report of ``liftsafe evaluate``: appended to evaluation.md, written as
    noise.json, and (``budget_out``) the derived budget written as a budget file."""
    import json
    from pathlib import Path

    from liftsafe.atomic import write_text_atomic
    from liftsafe.technique.budget import budget_to_json

    config = config or default_config()
    noise = noise_report(outcomes, config)
    md = Path(out_dir) / "evaluation.md"
    if md.exists():
        write_text_atomic(md.read_text(encoding="utf-8") + markdown_noise(noise), md)
    page = Path(out_dir) / "evaluation.html"
    if page.exists():
        text = page.read_text(encoding="utf-8")
        write_text_atomic(text.replace("</body>", html_noise(noise) + "</body>", 1), page)
    written["noise"] = write_text_atomic(json.dumps(noise, indent=1), Path(out_dir) / "noise.json")
    if budget_out is not None:
        written["budget"] = write_text_atomic(budget_to_json(derive(outcomes, config)), Path(budget_out))
    return noise


def noise_text(noise: dict[str, Any]) -> str:
    """A few lines for the terminal."""

    def f(x):
        return "-" if x is None else f"{x:.2f}"

    lines = []
    for key, title in (("product", "as shipped"), ("held_out", "leave one source out")):
        s = noise[key]
        lines.append(
            f"noise ({title}): {f(s['mean_distinct_faults_per_sound_lift'])} distinct faults per sound lift; "
            f"major on {s['sound_lifts_with_major']}/{s['sound_lifts']} sound lifts; named faults found "
            f"{s['named_faults_found']}/{s['named_faults_labelled']}; "
            f"balanced accuracy {f(s['balanced_accuracy'])}"
        )
    off = sorted(
        {b["code"] + "/" + b["view"] for b in noise["derived_budget"] if b["floor"] == "not checked"}
    )
    lines.append(f"derived budget: not checked {', '.join(off) or 'none'}")
    return "\n".join(lines)


_NOISE_HTML = """<h2>Noise: false alarms on sound lifts, recall on labelled faults</h2>
<table><tr><th>figures</th><th>sound lifts</th><th>distinct faults per sound lift</th>
<th>sound lifts with a major fault</th>
<th>named faults found</th><th>balanced accuracy</th></tr>
{% for key, title in (("product", "as shipped (in-sample)"), ("held_out", "leave one source out")) %}
{% set s = noise[key] %}
<tr><td>{{ title }}</td><td>{{ s.sound_lifts }}</td><td>{{ f(s.mean_distinct_faults_per_sound_lift) }}</td>
<td>{{ s.sound_lifts_with_major }}</td><td>{{ s.named_faults_found }} of {{ s.named_faults_labelled }}</td>
<td>{{ f(s.balanced_accuracy) }}</td></tr>{% endfor %}</table>
<table><tr><th>fault</th><th>reported on sound reps (as shipped)</th><th>by view</th>
<th>leave one source out</th><th>found in labelled clips (any / major)</th></tr>
{% for code, p in noise.product.faults.items() %}
<tr><td>{{ code }}</td><td>{{ p.false_alarms }}/{{ p.sound_reps }}</td>
<td>{% for v, c in p.by_view.items() %}{{ v }} {{ c.false_alarms }}/{{ c.sound_reps }} {% endfor %}</td>
<td>{{ noise.held_out.faults[code].false_alarms }}/{{ noise.held_out.faults[code].sound_reps }}</td>
<td>{% if p.labelled_clips %}{{ p.found }} / {{ p.found_major }} of {{ p.labelled_clips }}
{% else %}-{% endif %}</td></tr>{% endfor %}</table>
{% if noise.not_checked %}<h3>Not checked (clips, by reason)</h3><ul>
{% for code, reasons in noise.not_checked.items() %}
<li>{{ code }}: {% for r, n in reasons.items() %}{{ n }} x {{ r }}{% if not loop.last %}; {% endif %}
{% endfor %}</li>{% endfor %}</ul>{% endif %}
"""


def html_noise(noise: dict[str, Any]) -> str:
    """The noise section of evaluation.html (escaped)."""
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(_NOISE_HTML).render(noise=noise, f=lambda x: "-" if x is None else f"{x:.2f}")
