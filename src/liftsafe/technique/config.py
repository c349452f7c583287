"""One injectable, frozen :class:`AnalysisConfig`: every heuristic the verdict depends on.

``analyze_series`` and the fault rules take it; the result JSON records its values and their
hash (``config``), and ``liftsafe analyze --config FILE`` reads such values back (a result
JSON, or a file written by :meth:`AnalysisConfig.to_json`), so any verdict can be reproduced.
``liftsafe evaluate --calibrate`` scores candidate configs through the product's own verdict
path (:mod:`liftsafe.technique.verdict`).

Groups:

* :class:`CleaningConfig` -- confidence gate, gap filling, low-pass (kinematics/clean.py);
* :class:`ViewConfig` -- camera yaw limits of the side and oblique views (kinematics/view.py);
* :class:`RepConfig` -- rep detection (reps/detect.py);
* :class:`MetricConfig` -- windows of the per-rep metrics (technique/metrics.py);
* ``thresholds`` -- the threshold table (technique/thresholds.py);
* ``budget`` -- per fault and camera view, the lowest severity that is reported, or why the
  fault is not checked from that view (technique/budget.py, the false-alarm budget).

The defaults are the module constants of those modules, so the modules stay readable on their
own and the config is the single place that gathers them.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from liftsafe.errors import InputError
from liftsafe.kinematics import clean as _clean
from liftsafe.kinematics import view as _view
from liftsafe.reps import detect as _detect
from liftsafe.result import Exercise, FaultCode, Severity, View
from liftsafe.technique import metrics as _met
from liftsafe.technique import thresholds as _thr


@dataclass(frozen=True)
class CleaningConfig:
    min_confidence: float = _clean.MIN_CONFIDENCE
    max_gap_s: float = _clean.MAX_GAP_S
    cutoff_hz: float = _clean.CUTOFF_HZ
    #: below this share of frames with a person the clip is refused
    min_detected_share: float = 0.3
    #: a frame whose mid-hip is this many trunk lengths sideways of the clip's median is
    #: another person (pipeline.drop_other_person)
    other_person_trunks: float = 1.0


@dataclass(frozen=True)
class ViewConfig:
    side_max_yaw_deg: float = _view.SIDE_MAX_YAW_DEG
    oblique_max_yaw_deg: float = _view.OBLIQUE_MAX_YAW_DEG


@dataclass(frozen=True)
class RepConfig:
    min_rep_duration_s: float = _detect.MIN_REP_DURATION_S
    min_prominence_share: float = _detect.MIN_PROMINENCE_SHARE
    min_range_deg: float = _detect.MIN_RANGE_DEG
    band_share: float = _detect.BAND_SHARE
    edge_depth_share: float = _detect.EDGE_DEPTH_SHARE
    velocity_share: float = _detect.VELOCITY_SHARE
    velocity_cutoff_hz: float = _detect.VELOCITY_CUTOFF_HZ
    complete_share: float = _detect.COMPLETE_SHARE
    bottom_share: float = _detect.BOTTOM_SHARE
    min_ascent_s: float = _detect.MIN_ASCENT_S
    #: from the front, depth is the shoulders' drop in % of stature; a lift lowers them by more
    front_min_drop_pct: float = 12.0


@dataclass(frozen=True)
class MetricConfig:
    lockout_hold_s: float = _met.LOCKOUT_HOLD_S
    lift_off_margin_s: float = _met.LIFT_OFF_MARGIN_S
    upright_trunk_deg: float = _met.UPRIGHT_TRUNK_DEG
    min_measured_share: float = _met.MIN_MEASURED_SHARE
    spine_pull_ascent_share: float = _thr.SPINE_PULL_ASCENT_SHARE


@dataclass(frozen=True)
class Budget:
    """Whether ``code`` is reported from ``view`` and from which severity on.

    ``floor``: the lowest severity reported (a fault measured below it is not shown); ``None``:
    the fault is *not checked* from this view (it fired on too many sound lifts at every
    severity, or no sound lift was seen from this view). ``sound_reps`` / ``fires``: the
    evidence (sound shared-clip reps from this view, and how many of them the fault would have
    been reported on at ``floor``, or at its lowest severity when not checked).
    """

    code: FaultCode
    view: View
    floor: Severity | None
    sound_reps: int = 0
    fires: int = 0
    measured_on: str = ""  # the views whose sound reps were counted ("side", or "side+oblique" when pooled)

    @property
    def checked(self) -> bool:
        """Whether the fault is reported from this view at all."""
        return self.floor is not None


def _default_budget() -> tuple[Budget, ...]:
    from liftsafe.technique.budget import shipped_budget

    return shipped_budget()


@dataclass(frozen=True)
class AnalysisConfig:
    cleaning: CleaningConfig = field(default_factory=CleaningConfig)
    view: ViewConfig = field(default_factory=ViewConfig)
    reps: RepConfig = field(default_factory=RepConfig)
    metrics: MetricConfig = field(default_factory=MetricConfig)
    thresholds: tuple[_thr.Threshold, ...] = _thr.TABLE
    budget: tuple[Budget, ...] = field(default_factory=_default_budget)
    #: a fault is reported from a view only if it fires on at most this share of sound reps
    max_false_alarm_rate: float = 0.1

    # -- lookups -------------------------------------------------------------------------------
    def threshold(self, code: FaultCode | str) -> _thr.Threshold | None:
        """The threshold-table row of ``code`` (None when the table lacks it)."""
        code = FaultCode(code)
        for t in self.thresholds:
            if t.code == code:
                return t
        return None

    def budget_for(self, code: FaultCode | str, view: View | str) -> Budget | None:
        """The false-alarm budget of ``code`` from ``view`` (None: the fault has no entry there)."""
        code, view = FaultCode(code), View(view)
        for b in self.budget:
            if b.code == code and b.view == view:
                return b
        return None

    def reporting_every_fault(self) -> AnalysisConfig:
        """A copy whose budget reports every fault from minor from each of its views: for
        studying what the metrics measure (tests, research), never for coaching a lifter --
        faults without a validated false-alarm rate are reported too."""
        budget = tuple(replace(b, floor=Severity.MINOR) for b in self.budget)
        return replace(self, budget=budget)

    def with_major_limits(self, limits: dict[str, float | None], exercise: Exercise | str) -> AnalysisConfig:
        """A copy with the major limits of some faults replaced for ``exercise`` (None: never major)."""
        exercise = Exercise(exercise)
        table = []
        for t in self.thresholds:
            if t.code.value in limits and exercise in t.limits:
                new = dict(t.limits)
                new[exercise] = replace(t.limits[exercise], major=limits[t.code.value])
                t = replace(t, limits=new)
            table.append(t)
        return replace(self, thresholds=tuple(table))

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (enums as strings, infinities as strings)."""
        def clean(v):
            if isinstance(v, dict):
                return {str(getattr(k, "value", k)): clean(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            if isinstance(v, float) and not math.isfinite(v):
                return str(v)
            return getattr(v, "value", v)

        return clean(asdict(self))

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the values (first 16 hex digits)."""
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_json(self) -> str:
        """The values as indented JSON (what ``--config`` reads)."""
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisConfig:
        """The config whose :meth:`to_dict` is ``data`` (missing groups take their defaults)."""

        def group(klass, key):
            raw = data.get(key) or {}
            names = {f.name for f in fields(klass)}
            unknown = set(raw) - names
            if unknown:
                raise InputError(f"config: unknown field '{key}.{sorted(unknown)[0]}'.")
            return klass(**{k: float(v) for k, v in raw.items()})

        def num(v):
            return None if v is None else float(v)

        base = cls()
        thresholds = base.thresholds
        if "thresholds" in data:
            table = []
            for t in data["thresholds"]:
                try:
                    table.append(
                        _thr.Threshold(
                            code=FaultCode(t["code"]),
                            metric=t["metric"],
                            unit=t["unit"],
                            comparison=t["comparison"],
                            limits={
                                Exercise(e): _thr.Limits(
                                    num(v["minor"]), num(v.get("major")), num(v.get("unsafe"))
                                )
                                for e, v in t["limits"].items()
                            },
                            views=tuple(View(v) for v in t["views"]),
                            source=t.get("source", ""),
                            description=t.get("description", ""),
                            plausible=(float(t["plausible"][0]), float(t["plausible"][1])),
                            fitted=bool(t.get("fitted", False)),
                            max_yaw_deg=float(t.get("max_yaw_deg", 90.0)),
                        )
                    )
                except (KeyError, ValueError, TypeError) as exc:
                    raise InputError(f"config: bad threshold entry {t.get('code', '?')!r} ({exc}).") from None
            thresholds = tuple(table)
        budget = base.budget
        if "budget" in data:
            try:
                budget = tuple(
                    Budget(
                        FaultCode(b["code"]),
                        View(b["view"]),
                        None if b["floor"] is None else Severity(b["floor"]),
                        int(b.get("sound_reps", 0)),
                        int(b.get("fires", 0)),
                        str(b.get("measured_on", "")),
                    )
                    for b in data["budget"]
                )
            except (KeyError, ValueError, TypeError) as exc:
                raise InputError(f"config: bad budget entry ({exc}).") from None
        return cls(
            cleaning=group(CleaningConfig, "cleaning"),
            view=group(ViewConfig, "view"),
            reps=group(RepConfig, "reps"),
            metrics=group(MetricConfig, "metrics"),
            thresholds=thresholds,
            budget=budget,
            max_false_alarm_rate=float(data.get("max_false_alarm_rate", base.max_false_alarm_rate)),
        )

    @classmethod
    def load(cls, path: str | Path) -> AnalysisConfig:
        """Read a config file: the JSON of :meth:`to_json`, or a result JSON (its ``config.values``)."""
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"--config: cannot read {p} ({exc.strerror}).") from None
        except json.JSONDecodeError as exc:
            raise InputError(f"--config: {p} is not JSON ({exc.msg}, line {exc.lineno}).") from None
        if not isinstance(data, dict):
            raise InputError(f"--config: {p} must hold a JSON object.")
        if isinstance(data.get("config"), dict) and "values" in data["config"]:
            data = data["config"]["values"]
        return cls.from_dict(data)


DEFAULT_CONFIG: AnalysisConfig | None = None


def default_config() -> AnalysisConfig:
    """The shipped config (built once)."""
    global DEFAULT_CONFIG
    if DEFAULT_CONFIG is None:
        DEFAULT_CONFIG = AnalysisConfig()
    return DEFAULT_CONFIG


def load_config(path: str | Path | None) -> AnalysisConfig | None:
    """``AnalysisConfig.load(path)``, or None (the shipped config) without a path."""
    return None if path is None else AnalysisConfig.load(path)
