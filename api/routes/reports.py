"""GET /reports/{job_id}[.html|.json|.csv]: a finished job's report, format by suffix or Accept header."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path
from fastapi.responses import Response

from api.deps import StoreDep
from api.report_format import RENDERERS
from api.report_page import job_report_html
from api.scenario_input import RequestInputError
from api.schemas.responses import ErrorResponse, job_public

router = APIRouter(tags=["reports"])

_REFERENCE = re.compile(r"^(?P<id>[^.]+)(?:\.(?P<suffix>[^.]*))?$")
_MEDIA = {"application/json": "json", "text/csv": "csv", "text/html": "html"}


def negotiate(accept: str | None) -> str | None:
    """The format the Accept header prefers (by q), 'json' for none or */*; None if nothing we serve fits."""
    if not accept or not accept.strip():
        return "json"
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        pieces = [piece.strip() for piece in part.split(";")]
        media = pieces[0].lower()
        quality = 1.0
        for parameter in pieces[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0 or quality != quality:
            continue
        fmt = _MEDIA.get(media) or ("json" if media in ("*/*", "application/*") else None)
        fmt = fmt or ("html" if media == "text/*" else None)
        if fmt is not None:
            choices.append((-quality, position, fmt))
    return min(choices)[2] if choices else None


@router.get(
    "/reports/{job_ref}",
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}, "text/html": {}},
            "description": "the report of a finished job",
        },
        404: {"model": ErrorResponse},
        406: {"model": ErrorResponse},
        409: {"model": ErrorResponse},
    },
)
def get_report(
    job_ref: Annotated[str, Path(max_length=80, description="job id, optionally .html/.json/.csv")],
    store: StoreDep,
    accept: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    """The report of a done job; ``/reports/<id>.csv`` or ``Accept: text/csv`` choose the format.

    HTML is the same report as ``ssb-twin report`` (charts, tables); JSON and CSV hold the job's result."""
    match = _REFERENCE.match(job_ref)
    try:
        job_id = str(uuid.UUID(match["id"])) if match else None
    except ValueError:
        job_id = None
    if job_id is None:
        raise RequestInputError(
            [
                {
                    "loc": ["path", "job_ref"],
                    "msg": f"'{job_ref[:80]}' is not a job id (a UUID) "
                    "with an optional .html, .json or .csv suffix",
                    "type": "job_ref",
                }
            ]
        )
    suffix = match["suffix"]
    if suffix is not None and suffix.lower() not in RENDERERS:
        raise RequestInputError(
            [
                {
                    "loc": ["path", "job_ref"],
                    "msg": f"format '{suffix[:20]}' is not one of html, json, csv",
                    "type": "report_format",
                }
            ]
        )
    fmt = suffix.lower() if suffix else negotiate(accept)
    if fmt is None:
        raise HTTPException(
            status_code=406, detail="reports are served as application/json, text/csv or text/html"
        )
    job = store.get_job(job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"no job with id {job_id}")
    if job.status != "done":
        reason = f": {job.error}" if job.error else ""
        raise HTTPException(
            status_code=409, detail=f"job {job_id} is {job.status}{reason}; a report exists once it is done"
        )
    render, media_type = RENDERERS[fmt]
    filename = f"ssb-twin-{job.kind}-{job_id}.{fmt}"
    # HTML is the engineer's report (the same writer as ``ssb-twin report``); JSON and CSV the raw result
    body = job_report_html(job) if fmt == "html" else render(job_public(job))
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Vary": "Accept"},
    )
