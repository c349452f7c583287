"""Use-case of the self-assessment: the answers (and any job lifts) -> a safe starting point.

``liftsafe assess-me`` asks the questions (or reads them as flags) and calls :func:`assess_me`;
the answers themselves are the plain value types of :mod:`liftsafe.training.assessment`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liftsafe.training.assessment import Answers, Assessment, assess
from liftsafe.training.joblift import JobLift, job_advice


@dataclass(frozen=True)
class SelfAssessment:
    """The assessment of the answers, and one line of advice per job lift."""

    result: Assessment
    job_lifts: tuple[JobLift, ...]
    job_advice: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``liftsafe assess-me --json``."""
        doc = self.result.to_dict()
        if self.job_lifts:
            doc["job_lifts"] = [{**j.to_dict(), "advice": a} for j, a in zip(self.job_lifts, self.job_advice)]
        return doc


def assess_me(answers: Answers, job_lifts: list[JobLift] | tuple[JobLift, ...] = ()) -> SelfAssessment:
    """Assess ``answers`` (clear to train, level, advice) and advise on each job lift."""
    jobs = tuple(job_lifts)
    advice = tuple(job_advice(j) for j in jobs)
    return SelfAssessment(result=assess(answers), job_lifts=jobs, job_advice=advice)
