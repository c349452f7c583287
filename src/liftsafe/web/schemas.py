"""API schemas (pydantic): what the JSON API returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    error: str = Field(description="one line: what is wrong and what to do")
    status: int


class AnalysisAccepted(BaseModel):
    id: int
    status: str
    url: str = Field(description="poll this for status and result")


class AnalysisOut(BaseModel):
    id: int
    exercise: str
    filename: str
    status: str = Field(description="queued | running | done | failed | cancelled")
    progress_pct: float
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    result: dict[str, Any] | None = Field(
        None, description="when done: the CLI's JSON result contract (liftsafe analyze --json)"
    )


class MeOut(BaseModel):
    id: int
    email: str
    role: str
