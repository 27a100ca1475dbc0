"""Property-based fuzz of the OpenAPI schema (schemathesis): no request may produce a 5xx or a trace."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.main import create_app
from api.settings import ApiSettings

# A fixed-size budget keeps the run well under a minute on 2 cores: every operation gets this many cases.
EXAMPLES_PER_OPERATION = 25

_DATA_DIR = Path(tempfile.mkdtemp(prefix="ssb-twin-fuzz-"))
_APP = create_app(
    ApiSettings(
        data_dir=_DATA_DIR,
        service_module="api_fake_services",
        evaluate_workers=0,
        workers=1,
        max_queued_jobs=4,
        job_timeout_s=2.0,
        api_key=None,
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@pytest.fixture(scope="module", autouse=True)
def _stop_app_after_the_fuzz():
    yield
    from schemathesis.python.asgi import shutdown_lifespans

    shutdown_lifespans()  # stops the job runner and its worker processes
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


@pytest.mark.integration
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_request_makes_the_server_fail(case):
    response = case.call()
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text}"
    )
    assert "Traceback" not in response.text
