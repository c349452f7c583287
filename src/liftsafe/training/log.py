"""Workout-log records (plain data) and their validation.

A :class:`SessionRecord` is one training session with its :class:`SetRecord` s: reps, load,
effort (RPE or reps in reserve), tempo, side, form quality per set (self-rated or from a
technique-analysis result), pain during the set, and after the session: pain, soreness with
onset and end, readiness and notes (tracking reps, loads and range of motion, and telling pain from effort
discomfort: McGill 2015; Haff & Triplett 2016).

:func:`parse_set` and :func:`parse_session` turn loosely typed input (CLI ``--set`` specs,
JSON, CSV rows) into records, or raise :class:`~liftsafe.errors.InputError` naming the row
and field. They never touch a database: the store persists validated records only.

References: McGill S. (2015), *Low Back Disorders: Evidence-Based Prevention and Rehabilitation*,
3rd ed., Human Kinetics; Haff G.G. and Triplett N.T. (eds.) (2016), *Essentials of Strength Training
and Conditioning*, 4th ed., Human Kinetics.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Mapping, Sequence

from liftsafe.errors import InputError
from liftsafe.result import VERDICT_VALUES, Verdict
from liftsafe.training.library import Library, load_library

# Plausibility bounds. Pain and soreness use the 0-10 numeric rating scale; RPE the 1-10
# scale and reps in reserve 0-10 (Helms et al. 2016, "Application of the repetitions in
# reserve-based RPE scale", Strength Cond J 38(4)); the others are heuristic sanity limits.
MAX_LOAD_KG = 1000.0  # heuristic: above a loaded leg-press sled; the deadlift record is ~501 kg
MAX_REPS = 1000  # heuristic (skipping and step counts are logged as reps)
MAX_HOLD_S = 86400.0  # heuristic: one day (cardio durations are logged as seconds)
MAX_DISTANCE_M = 500_000.0  # heuristic: 500 km (cardio rows of imported logs)
#: A session may be dated at most this far ahead of the clock (time-zone slack); later dates
#: are typing mistakes that would make the rules read the future.
FUTURE_TOLERANCE = timedelta(days=1)
CUSTOM_PREFIX = "custom:"
CUSTOM_ID_RE = re.compile(r"^custom:[a-z0-9][a-z0-9-]{0,52}$")
PAIN_MAX = 10
RIR_MAX = 10
RPE_MIN, RPE_MAX = 1.0, 10.0
READINESS_MIN, READINESS_MAX = 1, 10
MAX_SORENESS_H = 24 * 28.0  # heuristic: four weeks

TEMPO_RE = re.compile(r"^([0-9]{1,2}|[xX])(-([0-9]{1,2}|[xX])){2,3}$|^[0-9xX]{3,4}$")


class FormQuality(StrEnum):
    """Form of a set: flawless, minor faults, or breakdown (McGill 2015; Haff & Triplett 2016)."""

    FLAWLESS = "flawless"
    MINOR = "minor"
    BREAKDOWN = "breakdown"


class FormSource(StrEnum):
    SELF = "self"
    ANALYSIS = "analysis"


class PainType(StrEnum):
    """Sharp pain stops the exercise; dull effort discomfort does not (McGill 2015; Haff & Triplett 2016)."""

    SHARP = "sharp"
    DULL = "dull"


class SetType(StrEnum):
    """Kind of set. Only working sets (normal, failure) count for the e1RM and progression;
    warm-up and drop sets are logged and exported but never drive a decision."""

    NORMAL = "normal"
    WARMUP = "warmup"
    DROP = "drop"
    FAILURE = "failure"


#: Set-type spellings of Strong ("W", "D", "F" in Set Order) and Hevy (set_type).
SET_TYPE_ALIASES = {
    "normal": SetType.NORMAL,
    "working": SetType.NORMAL,
    "": SetType.NORMAL,
    "warmup": SetType.WARMUP,
    "warm-up": SetType.WARMUP,
    "warm_up": SetType.WARMUP,
    "w": SetType.WARMUP,
    "drop": SetType.DROP,
    "dropset": SetType.DROP,
    "drop_set": SetType.DROP,
    "drop-set": SetType.DROP,
    "d": SetType.DROP,
    "failure": SetType.FAILURE,
    "f": SetType.FAILURE,
}


def is_custom(exercise_id: str) -> bool:
    """True for a user's own exercise (imported under a name outside the library)."""
    return exercise_id.startswith(CUSTOM_PREFIX)


def custom_id(name: str) -> str:
    """The stable id of a custom exercise named ``name`` (lower-case slug, at most 60 chars)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:52].strip("-") or "exercise"
    return CUSTOM_PREFIX + slug


class Side(StrEnum):
    L = "L"
    R = "R"


#: Technique-analysis verdict -> form quality of the set it checked; ``not_judged`` says nothing
#: about the form (no rep found, or nothing could be checked from that camera angle).
VERDICT_TO_FORM: dict[Verdict, FormQuality | None] = {
    Verdict.GOOD: FormQuality.FLAWLESS,
    Verdict.NEEDS_WORK: FormQuality.MINOR,
    Verdict.UNSAFE: FormQuality.BREAKDOWN,
    Verdict.NOT_JUDGED: None,
}


def parse_analysis_link(analysis: object, where: str) -> tuple[dict[str, Any], FormQuality | None]:
    """The fields of a technique-analysis result a set keeps, and the form quality its verdict
    gives (None for ``not_judged``: the clip says nothing about the form)."""
    verdict = Verdict.parse(analysis.get("verdict")) if isinstance(analysis, Mapping) else None
    if verdict is None or not isinstance(analysis, Mapping):
        raise InputError(
            f"{where}, field 'analysis': expected a technique-analysis result with a verdict "
            f"({', '.join(VERDICT_VALUES)})."
        )
    kept = {k: analysis[k] for k in ("verdict", "exercise", "rep_count", "source") if k in analysis}
    return kept, VERDICT_TO_FORM[verdict]


@dataclass(frozen=True)
class SetRecord:
    exercise_id: str
    reps: int | None = None
    load_kg: float | None = None
    hold_s: float | None = None
    distance_m: float | None = None
    rpe: float | None = None
    rir: int | None = None
    tempo: str | None = None
    side: Side | None = None
    form: FormQuality | None = None
    form_source: FormSource | None = None
    analysis: dict[str, Any] | None = None
    pain_during: int = 0
    pain_type: PainType | None = None
    notes: str = ""
    set_type: SetType = SetType.NORMAL
    superset: int | None = None

    @property
    def sharp_pain(self) -> bool:
        """True when the set hurt with a sharp pain."""
        return self.pain_type is PainType.SHARP and self.pain_during > 0

    @property
    def working(self) -> bool:
        """A working set: not a warm-up or drop set."""
        return self.set_type in (SetType.NORMAL, SetType.FAILURE)

    @property
    def pain_stopped(self) -> bool:
        """Pain ended or spoiled the set (sharp pain, or pain of 4/10 or more -- heuristic
        "moderate" on the numeric rating scale); such a set says nothing about strength."""
        return self.sharp_pain or self.pain_during >= 4

    @property
    def counts_for_strength(self) -> bool:
        """Counts for the e1RM and for progression: a working set not stopped by pain."""
        return self.working and not self.pain_stopped

    def to_dict(self) -> dict[str, Any]:
        """The set as a JSON-ready dict."""
        return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class SessionRecord:
    performed_at: datetime
    sets: tuple[SetRecord, ...]
    title: str = ""
    readiness: int | None = None
    pain_after: int | None = None
    pain_after_type: PainType | None = None
    soreness: int | None = None
    soreness_onset_h: float | None = None
    soreness_end_h: float | None = None
    soreness_worsening: bool = False
    notes: str = ""
    plan_id: int | None = None
    plan_week: int | None = None
    plan_session: int | None = None
    source: str = "manual"
    duration_s: int | None = None
    id: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The session as a JSON-ready dict."""
        out = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in asdict(self).items() if k != "sets"}
        out["performed_at"] = self.performed_at.isoformat(timespec="seconds")
        out["sets"] = [s.to_dict() for s in self.sets]
        return out


# --- field parsers ------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _number(
    value: Any, where: str, name: str, *, lo: float, hi: float, integer: bool = False, unit: str = ""
) -> Any:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise InputError(f"{where}, field '{name}': expected a number, got {value!r}.")
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}, field '{name}': expected a number, got {value!r}.") from None
    if not math.isfinite(number):
        raise InputError(f"{where}, field '{name}': expected a finite number, got {value!r}.")
    if integer:
        if number != int(number):
            raise InputError(f"{where}, field '{name}': expected a whole number, got {value!r}.")
        number = int(number)
    if not lo <= number <= hi:
        u = f" {unit}" if unit else ""
        shown = value.strip() if isinstance(value, str) else f"{float(value):g}"
        raise InputError(
            f"{where}, field '{name}': {shown}{u} is impossible; it must be between {lo:g} and {hi:g}{u}."
        )
    return number


def _choice(value: Any, where: str, name: str, enum: type[StrEnum]) -> Any:
    if _blank(value):
        return None
    text = str(value).strip()
    for member in enum:
        if text.casefold() == member.value.casefold():
            return member
    raise InputError(
        f"{where}, field '{name}': must be one of {', '.join(m.value for m in enum)}; got {text!r}."
    )


def _text(value: Any) -> str:
    """Trimmed text; NUL characters are dropped (no database text column can hold them)."""
    return "" if _blank(value) else str(value).replace("\x00", "").strip()


def _bool(value: Any, where: str, name: str) -> bool:
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("1", "true", "yes", "y"):
        return True
    if text in ("0", "false", "no", "n"):
        return False
    raise InputError(f"{where}, field '{name}': expected yes or no, got {value!r}.")


SET_FIELDS = (
    "exercise",
    "reps",
    "load_kg",
    "hold_s",
    "distance_m",
    "rpe",
    "rir",
    "tempo",
    "side",
    "form",
    "form_source",
    "analysis",
    "pain",
    "pain_type",
    "notes",
    "set_type",
    "superset",
)


def parse_set(raw: Mapping[str, Any], *, where: str, library: Library | None = None) -> SetRecord:
    """Validate one set given as a mapping (keys of :data:`SET_FIELDS`; ``exercise_id`` and
    ``pain_during`` are accepted as synonyms of ``exercise`` and ``pain``)."""
    library = library or load_library()
    data = dict(raw)
    if "exercise_id" in data:
        data.setdefault("exercise", data.pop("exercise_id"))
    if "pain_during" in data:
        data.setdefault("pain", data.pop("pain_during"))
    unknown = sorted(set(data) - set(SET_FIELDS))
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(SET_FIELDS)}.")
    if _blank(data.get("exercise")):
        raise InputError(f"{where}, field 'exercise': missing; give a library id such as romanian-deadlift.")
    ex_text = str(data["exercise"]).strip()
    if is_custom(ex_text):
        if not CUSTOM_ID_RE.match(ex_text):
            raise InputError(
                f"{where}, field 'exercise': {ex_text!r} is not a custom exercise id "
                "(custom:lower-case-words)."
            )
        ex = None
    else:
        ex = library.get(ex_text, where=f"{where}, field 'exercise'")
    reps = _number(data.get("reps"), where, "reps", lo=0, hi=MAX_REPS, integer=True)
    hold_s = _number(data.get("hold_s"), where, "hold_s", lo=0, hi=MAX_HOLD_S, unit="s")
    distance_m = _number(data.get("distance_m"), where, "distance_m", lo=0, hi=MAX_DISTANCE_M, unit="m")
    if reps is None and hold_s is None and distance_m is None:
        dosed = f" ({ex.id} is dosed in {ex.dose.value})" if ex else ""
        raise InputError(f"{where}: give the dose of the set: reps, hold_s or distance_m{dosed}.")
    tempo = _text(data.get("tempo")) or None
    if tempo is not None and not TEMPO_RE.match(tempo):
        raise InputError(f"{where}, field 'tempo': use four phases like 3-1-1-0 or 31X0; got {tempo!r}.")
    pain = _number(data.get("pain"), where, "pain", lo=0, hi=PAIN_MAX, integer=True)
    pain_type = _choice(data.get("pain_type"), where, "pain_type", PainType)
    if pain_type is not None and not pain:
        raise InputError(
            f"{where}, field 'pain_type': given as {pain_type.value} but pain is 0; rate the pain 1-10 or "
            f"drop the type."
        )
    side = _choice(data.get("side"), where, "side", Side)
    if side is not None and ex is not None and not ex.unilateral:
        raise InputError(f"{where}, field 'side': {ex.id} is not a one-sided exercise; leave side empty.")
    form = _choice(data.get("form"), where, "form", FormQuality)
    form_source = _choice(data.get("form_source"), where, "form_source", FormSource)
    analysis = data.get("analysis")
    if analysis is not None:
        analysis, judged_form = parse_analysis_link(analysis, where)
        if judged_form is not None:
            form = form or judged_form
            form_source = FormSource.ANALYSIS
    if form is not None and form_source is None:
        form_source = FormSource.SELF
    raw_type = data.get("set_type")
    set_type = SET_TYPE_ALIASES.get(_text(raw_type).casefold().replace(" ", ""))
    if set_type is None:
        raise InputError(
            f"{where}, field 'set_type': must be one of normal, warmup, drop, failure; got "
            f"{_text(raw_type)!r}."
        )
    superset = _number(data.get("superset"), where, "superset", lo=0, hi=10_000, integer=True)
    return SetRecord(
        exercise_id=ex.id if ex is not None else ex_text,
        reps=reps,
        load_kg=_number(data.get("load_kg"), where, "load_kg", lo=0, hi=MAX_LOAD_KG, unit="kg"),
        hold_s=hold_s,
        distance_m=distance_m,
        rpe=_number(data.get("rpe"), where, "rpe", lo=RPE_MIN, hi=RPE_MAX),
        rir=_number(data.get("rir"), where, "rir", lo=0, hi=RIR_MAX, integer=True),
        tempo=tempo,
        side=side,
        form=form,
        form_source=form_source,
        analysis=analysis,
        pain_during=pain or 0,
        pain_type=pain_type,
        notes=_text(data.get("notes")),
        set_type=set_type,
        superset=superset,
    )


SESSION_FIELDS = (
    "performed_at",
    "sets",
    "title",
    "readiness",
    "pain_after",
    "pain_after_type",
    "soreness",
    "soreness_onset_h",
    "soreness_end_h",
    "soreness_worsening",
    "notes",
    "plan_id",
    "plan_week",
    "plan_session",
    "source",
    "duration_s",
    "id",
)


def parse_datetime(value: Any, *, where: str, name: str = "performed_at") -> datetime:
    """A date or date-time from ISO text (or a datetime), or an InputError naming ``where``."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    text = _text(value)
    if not text:
        raise InputError(f"{where}, field '{name}': missing; use a date like 2026-01-31 or 2026-01-31T18:30.")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{where}, field '{name}': {text!r} is not a date; use 2026-01-31 or 2026-01-31T18:30."
        ) from None
    return parsed.replace(tzinfo=None, microsecond=0)


def parse_session(
    raw: Mapping[str, Any],
    *,
    where: str,
    library: Library | None = None,
    sets: Sequence[SetRecord] | None = None,
    now: datetime | None = None,
) -> SessionRecord:
    """Validate one session mapping (keys of :data:`SESSION_FIELDS`, ``sets`` a list of set
    mappings), or its session-level fields only when already validated ``sets`` are given.

    A session dated more than :data:`FUTURE_TOLERANCE` after ``now`` (default: the clock)
    is rejected: the rules must read only the past."""
    library = library or load_library()
    unknown = sorted(set(raw) - set(SESSION_FIELDS))
    if unknown:
        raise InputError(
            f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(SESSION_FIELDS)}."
        )
    if sets is None:
        raw_sets = raw.get("sets")
        if not isinstance(raw_sets, list) or not raw_sets:
            raise InputError(f"{where}, field 'sets': a session needs at least one set.")
        parsed = []
        for i, s in enumerate(raw_sets, start=1):
            if not isinstance(s, Mapping):
                raise InputError(f"{where}, set {i}: expected an object of fields.")
            parsed.append(parse_set(s, where=f"{where}, set {i}", library=library))
        sets = parsed
    elif not sets:
        raise InputError(f"{where}: a session needs at least one set.")
    onset = _number(raw.get("soreness_onset_h"), where, "soreness_onset_h", lo=0, hi=MAX_SORENESS_H, unit="h")
    end = _number(raw.get("soreness_end_h"), where, "soreness_end_h", lo=0, hi=MAX_SORENESS_H, unit="h")
    if onset is not None and end is not None and end < onset:
        raise InputError(
            f"{where}, field 'soreness_end_h': soreness cannot end ({end:g} h) before it starts ({onset:g} "
            f"h)."
        )
    soreness = _number(raw.get("soreness"), where, "soreness", lo=0, hi=PAIN_MAX, integer=True)
    if (onset is not None or end is not None) and not soreness:
        raise InputError(f"{where}, field 'soreness': rate the soreness 1-10 when you give its onset or end.")
    pain_after = _number(raw.get("pain_after"), where, "pain_after", lo=0, hi=PAIN_MAX, integer=True)
    pain_after_type = _choice(raw.get("pain_after_type"), where, "pain_after_type", PainType)
    source = _text(raw.get("source")) or "manual"
    if len(source) > 20:
        raise InputError(f"{where}, field 'source': at most 20 characters.")
    performed_at = parse_datetime(raw.get("performed_at"), where=where)
    limit = (now or datetime.now()) + FUTURE_TOLERANCE
    if performed_at > limit:
        raise InputError(
            f"{where}, field 'performed_at': {performed_at.isoformat(sep=' ', timespec='minutes')} is in "
            "the future "
            f"(after {limit.isoformat(sep=' ', timespec='minutes')}); log sessions you have done, with "
            "their real date."
        )
    return SessionRecord(
        performed_at=performed_at,
        sets=tuple(sets),
        title=_text(raw.get("title"))[:200],
        readiness=_number(
            raw.get("readiness"), where, "readiness", lo=READINESS_MIN, hi=READINESS_MAX, integer=True
        ),
        pain_after=pain_after,
        pain_after_type=pain_after_type,
        soreness=soreness,
        soreness_onset_h=onset,
        soreness_end_h=end,
        soreness_worsening=_bool(raw.get("soreness_worsening"), where, "soreness_worsening"),
        notes=_text(raw.get("notes")),
        plan_id=_number(raw.get("plan_id"), where, "plan_id", lo=1, hi=2**31 - 1, integer=True),
        plan_week=_number(raw.get("plan_week"), where, "plan_week", lo=1, hi=52, integer=True),
        plan_session=_number(raw.get("plan_session"), where, "plan_session", lo=1, hi=3, integer=True),
        source=source,
        duration_s=_number(
            raw.get("duration_s"), where, "duration_s", lo=0, hi=MAX_HOLD_S, unit="s", integer=True
        ),
    )


def parse_set_spec(spec: str, *, where: str, library: Library | None = None, load_analysis=None) -> SetRecord:
    """Parse a CLI set spec ``exercise=romanian-deadlift,reps=8,load_kg=40,rir=2,form=flawless``.

    The first item may be a bare exercise id: ``romanian-deadlift,reps=8``. ``analysis=PATH``
    attaches a technique-analysis result read by ``load_analysis(PATH)``.
    """
    fields: dict[str, str] = {}
    for i, item in enumerate(p.strip() for p in spec.split(",")):
        if not item:
            continue
        if "=" not in item:
            if i == 0:
                fields["exercise"] = item
                continue
            raise InputError(f"{where}: expected key=value, got {item!r} (e.g. reps=8).")
        key, _, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if key in fields:
            raise InputError(f"{where}: field '{key}' given twice.")
        fields[key] = value.strip()
    data: dict[str, Any] = dict(fields)
    if "analysis" in data:
        if load_analysis is None:
            raise InputError(f"{where}, field 'analysis': attaching a result file is not supported here.")
        data["analysis"] = load_analysis(fields["analysis"])
    return parse_set(data, where=where, library=library)
