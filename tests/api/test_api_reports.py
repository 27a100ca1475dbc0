"""GET /reports/{job_id}: JSON, CSV and HTML by suffix or Accept; 404/406/409/422."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
from api_job_polling import wait_for_job

from api.report_format import report_csv, report_html
from api.routes.reports import negotiate
from api.schemas.responses import JobPublic


@pytest.fixture
def done_job_id(client) -> str:
    job_id = client.post("/simulations", json={"scenario": "oxide_baseline", "days": 2, "seed": 3}).json()[
        "id"
    ]
    assert wait_for_job(client, f"/simulations/{job_id}")["status"] == "done"
    return job_id


@pytest.mark.component
def test_report_formats_by_suffix(client, done_job_id):
    as_json = client.get(f"/reports/{done_job_id}.json")
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    assert as_json.json()["result"]["throughput"] == {"good_cells_per_day": 84.0}
    assert as_json.json()["job"]["id"] == done_job_id
    as_csv = client.get(f"/reports/{done_job_id}.csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = dict(csv.reader(io.StringIO(as_csv.text)))
    assert rows["throughput.good_cells_per_day"] == "84"
    assert rows["seed"] == "3"
    as_html = client.get(f"/reports/{done_job_id}.html")
    assert as_html.headers["content-type"].startswith("text/html")
    # HTML is the engineer's report of the job's scenario (twin.report), headed by the job line
    assert "<h1>oxide_baseline</h1>" in as_html.text
    assert f"Simulation job {done_job_id}, status done" in as_html.text
    assert as_html.text.count("data:image/png;base64,") >= 12


@pytest.mark.component
def test_report_format_by_accept_header(client, done_job_id):
    response = client.get(f"/reports/{done_job_id}", headers={"Accept": "text/csv;q=0.5, text/html"})
    assert response.headers["content-type"].startswith("text/html")
    assert client.get(f"/reports/{done_job_id}", headers={"Accept": "*/*"}).headers["content-type"] == (
        "application/json"
    )
    refused = client.get(f"/reports/{done_job_id}", headers={"Accept": "application/pdf"})
    assert refused.status_code == 406


@pytest.mark.component
def test_report_errors(client):
    unknown = uuid.uuid4()
    assert client.get(f"/reports/{unknown}.json").json() == {"detail": f"no job with id {unknown}"}
    bad_suffix = client.get(f"/reports/{unknown}.pdf")
    assert bad_suffix.status_code == 422
    assert bad_suffix.json()["detail"][0]["msg"] == "format 'pdf' is not one of html, json, csv"
    not_an_id = client.get("/reports/..%2Fetc%2Fpasswd")
    assert not_an_id.status_code in (404, 422)


@pytest.mark.component
def test_report_of_an_unfinished_job_is_409(client):
    job_id = client.post(
        "/simulations", json={"scenario": "oxide_baseline", "days": 10, "replications": 50}
    ).json()["id"]
    response = client.get(f"/reports/{job_id}")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(f"job {job_id} is ")
    client.delete(f"/simulations/{job_id}")


def _job(result: dict) -> JobPublic:
    now = datetime.now(UTC)
    return JobPublic(
        id=str(uuid.uuid4()),
        kind="simulation",
        status="done",
        progress=1.0,
        scenario="x",
        scenario_hash="0" * 64,
        params={},
        attempts=1,
        cancel_requested=False,
        created_at=now,
        started_at=now,
        finished_at=now,
        error=None,
        result=result,
        links={},
    )


@pytest.mark.unit
def test_html_report_escapes_every_string():
    page = report_html(_job({"bottleneck": "<script>alert(1)</script>"})).decode()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.unit
def test_html_report_headline_writes_yields_as_the_commands_do():
    page = report_html(_job({"yield": {"overall": 0.809639503238847, "cell_piece_yield": 0.9606888651519386,
                                       "escape_factor": 0.9977}})).decode()
    assert "<tr><th>overall yield</th><td>80.96%</td></tr>" in page   # was 0.80964
    assert "<tr><th>cell piece yield (finished sheets)</th><td>96.07%</td></tr>" in page
    assert "<tr><th>escape factor (good share of the cell pieces shipped)</th><td>99.77%</td></tr>" in page
    assert "<tr><td>yield.overall</td><td>0.80964</td></tr>" in page   # all results: the key's own value


@pytest.mark.unit
def test_csv_report_neutralises_formulas_but_keeps_negative_numbers():
    rows = dict(csv.reader(io.StringIO(report_csv(_job({"a": "=cmd|' /C calc'!A0", "b": -2.5})).decode())))
    assert rows["a"] == "'=cmd|' /C calc'!A0"
    assert rows["b"] == "-2.5"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("text/html", "html"),
        ("text/csv;q=0.9, application/json;q=0.8", "csv"),
        ("application/xml", None),
        ("text/html;q=0", None),
        ("text/*", "html"),
    ],
)
def test_accept_negotiation(accept, expected):
    assert negotiate(accept) == expected
