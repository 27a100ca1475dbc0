"""One settings class for the HTTP service, read from ``SSB_TWIN_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """Service settings. Every field is overridable by ``SSB_TWIN_<FIELD NAME IN CAPITALS>``.

    The limits are assumptions sized for a 2-4 core server: they bound what one request may cost so that
    one client cannot occupy the machine; operators raise them for bigger hardware.
    """

    model_config = SettingsConfigDict(env_prefix="SSB_TWIN_", extra="ignore", frozen=True)

    data_dir: Path = Field(Path("ssb-twin-data"), description="folder for the default SQLite database")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/ssb_twin.db "
        "(postgresql://user@host/db works: psycopg 3 is installed with the package)",
    )
    api_key: SecretStr | None = Field(
        None,
        min_length=16,
        description="when set (16+ characters), every request except /health, /docs, /redoc, "
        "/openapi.json and the dashboard's files (/ui) needs the header X-API-Key",
    )
    max_body_bytes: int = Field(2_000_000, ge=1024, description="largest request body accepted [bytes]")
    max_simulated_days: float = Field(
        3650.0,
        gt=0,
        description="limit on days x replications one simulation (or twin check) may ask for [d]",
    )
    max_candidates: int = Field(20_000, ge=1, description="limit on candidate recipes in one optimisation")
    max_queued_jobs: int = Field(16, ge=1, description="queued + running jobs above which POST answers 429")
    workers: int = Field(2, ge=1, le=64, description="worker processes running simulations/optimisations")
    evaluate_workers: int = Field(
        2, ge=0, le=64, description="worker processes for /evaluate; 0 evaluates in a server thread"
    )
    evaluate_cache_size: int = Field(1024, ge=0, description="evaluations kept in the in-memory LRU")
    evaluate_timeout_s: float = Field(60.0, gt=0, description="longest one /evaluate may compute [s]")
    job_timeout_s: float = Field(6 * 3600.0, gt=0, description="longest one job may run before it fails [s]")
    cancel_grace_s: float = Field(
        5.0, ge=0, description="wait for a cancelled job to stop before killing it [s]"
    )
    max_job_attempts: int = Field(
        2, ge=1, description="a job interrupted by a server stop is re-run until it has started this often"
    )
    retry_after_s: int = Field(30, ge=1, description="Retry-After sent with 429 [s]")
    worker_memory_mb: int = Field(
        4096,
        ge=256,
        description="address-space limit of every worker process (evaluations and jobs) [MB]; a computation "
        "that needs more fails with a logged reason instead of taking the machine down; 0 is not allowed",
    )
    max_evaluations_per_client: int = Field(
        1, ge=1, description="uncached /evaluate computations one client may have in flight (fair queueing)"
    )
    rate_limit_per_minute: int = Field(
        120, ge=1, description="POST/DELETE requests one client may make per minute (burst: a quarter of it)"
    )
    job_retention_days: float = Field(
        30.0, gt=0, description="finished jobs (done, failed, cancelled) older than this are deleted [d]"
    )
    max_stored_jobs: int = Field(5000, ge=1, description="finished jobs kept at most; the oldest go first")
    max_stored_evaluations: int = Field(
        20_000, ge=0, description="cached evaluations kept in the database at most; the oldest go first"
    )
    service_module: str = Field(
        "api.services",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
        description="module providing evaluate/simulate/optimise (operators and tests only)",
    )

    @field_validator("database_url")
    @classmethod
    def _usable_database_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("is not a database URL; expected e.g. sqlite:////var/lib/ssb-twin/ssb_twin.db "
                             "or postgresql+psycopg://user@host/db") from None
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            folder = Path(url.database).expanduser().resolve().parent
            if not folder.is_dir():
                raise ValueError(f"the SQLite file's folder {str(folder)[:200]} does not exist")
        return value

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file inside ``data_dir`` (created if missing)."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'ssb_twin.db').resolve()}"


# settings whose value may carry a secret (the key; a database URL's password): never echoed
_SECRET_SETTINGS = frozenset({"api_key", "database_url"})


def _allowed_range(field: str) -> str:
    """'from 1 to 64' (or 'at least 1', 'above 0') read from the setting's own bounds; '' without any."""
    info = ApiSettings.model_fields.get(field)
    if info is None:
        return ""
    bounds = {}
    for item in info.metadata:
        for name in ("ge", "gt", "le", "lt"):
            if getattr(item, name, None) is not None:
                bounds[name] = getattr(item, name)
    low = high = None
    if "ge" in bounds or "gt" in bounds:
        low = (f"{bounds['ge']:g}", "from") if "ge" in bounds else (f"{bounds['gt']:g}", "above")
    if "le" in bounds or "lt" in bounds:
        high = (f"{bounds['le']:g}", "to") if "le" in bounds else (f"{bounds['lt']:g}", "below")
    if low and high:
        return f"allowed {low[1]} {low[0]} {high[1]} {high[0]}"
    if low:
        return f"allowed {'at least' if low[1] == 'from' else 'above'} {low[0]}"
    if high:
        return f"allowed {'at most' if high[1] == 'to' else 'below'} {high[0]}"
    return ""


def settings_problems(error: ValidationError) -> list[str]:
    """One line per bad setting, naming the environment variable, the value given (unless the setting may
    hold a secret) and the allowed range."""
    lines = []
    for item in error.errors(include_url=False):
        field = str(item["loc"][0]) if item["loc"] else "settings"
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] in ("too_short", "string_too_short"):
            message = f"must be at least {(item.get('ctx') or {}).get('min_length')} characters"
        if field not in _SECRET_SETTINGS and isinstance(item.get("input"), str | int | float):
            message = f"{str(item['input'])[:40]!r}: {message}"
        allowed = _allowed_range(field)
        if allowed and field not in _SECRET_SETTINGS:
            message = f"{message} ({allowed})"
        lines.append(f"SSB_TWIN_{field.upper()}: {message}")
    return lines


def load_settings() -> ApiSettings:
    """Read the settings; ValueError listing every bad SSB_TWIN_* variable (values not echoed)."""
    try:
        return ApiSettings()
    except ValidationError as exc:
        raise ValueError("; ".join(settings_problems(exc))) from None


__all__ = ["ApiSettings", "load_settings", "settings_problems"]
