"""Settings from SSB_TWIN_* variables, and ``ssb-twin serve`` refusing bad ones with exit code 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from api.settings import ApiSettings
from twin.cli import build_cli


@pytest.mark.unit
def test_settings_come_from_prefixed_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("SSB_TWIN_MAX_QUEUED_JOBS", "3")
    monkeypatch.setenv("SSB_TWIN_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("SSB_TWIN_API_KEY", "0123456789abcdef")
    monkeypatch.delenv("SSB_TWIN_DATABASE_URL", raising=False)
    settings = ApiSettings()
    assert settings.max_queued_jobs == 3
    assert settings.api_key.get_secret_value() == "0123456789abcdef"
    assert "0123456789abcdef" not in repr(settings)  # the key never lands in a log line
    assert settings.resolved_database_url() == f"sqlite:///{(tmp_path / 'd' / 'ssb_twin.db').resolve()}"
    assert (tmp_path / "d").is_dir()


@pytest.mark.unit
def test_database_url_setting_wins_over_the_data_dir(monkeypatch):
    monkeypatch.setenv("SSB_TWIN_DATABASE_URL", "postgresql+psycopg://twin@db/twin")
    assert ApiSettings().resolved_database_url() == "postgresql+psycopg://twin@db/twin"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("name", "value"), [("WORKERS", "0"), ("API_KEY", "short"), ("MAX_BODY_BYTES", "10")]
)
def test_bad_settings_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(f"SSB_TWIN_{name}", value)
    with pytest.raises(ValidationError, match=name.lower()):
        ApiSettings()


@pytest.mark.unit
def test_serve_exits_2_naming_the_bad_setting(monkeypatch):
    monkeypatch.setenv("SSB_TWIN_WORKERS", "0")
    from twin.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--port", "8999"])
    assert stopped.value.code == 2


@pytest.mark.unit
def test_serve_is_a_cli_command_with_host_and_port():
    result = CliRunner().invoke(build_cli(), ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


@pytest.mark.unit
@pytest.mark.parametrize(("name", "value", "expected"), [
    ("WORKERS", "-1", "SSB_TWIN_WORKERS: '-1': Input should be greater than or equal to 1 (allowed from 1 to 64)"),
    ("WORKERS", "1e3", "SSB_TWIN_WORKERS: '1e3': Input should be a valid integer"),
    ("EVALUATE_TIMEOUT_S", "0", "SSB_TWIN_EVALUATE_TIMEOUT_S: '0': Input should be greater than 0 (allowed above 0)"),
])
def test_a_bad_setting_names_its_value_and_the_allowed_range(monkeypatch, name, value, expected):
    from api.settings import load_settings

    monkeypatch.setenv(f"SSB_TWIN_{name}", value)
    with pytest.raises(ValueError) as refused:
        load_settings()
    assert expected in str(refused.value)
    if name == "WORKERS":
        assert "(allowed from 1 to 64)" in str(refused.value)


@pytest.mark.unit
def test_a_secret_setting_is_never_echoed(monkeypatch):
    from api.settings import load_settings

    monkeypatch.setenv("SSB_TWIN_API_KEY", "short-secret")
    with pytest.raises(ValueError) as refused:
        load_settings()
    assert "short-secret" not in str(refused.value)
    assert "SSB_TWIN_API_KEY" in str(refused.value)
