"""One settings class for the HTTP service, read from ``SSB_TWIN_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
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
        "(postgresql+psycopg://... works)",
    )
    api_key: SecretStr | None = Field(
        None,
        min_length=16,
        description="when set (16+ characters), every request except /health, /docs and "
        "/openapi.json needs the header X-API-Key",
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
    service_module: str = Field(
        "api.services",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
        description="module providing evaluate/simulate/optimise (operators and tests only)",
    )

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file inside ``data_dir`` (created if missing)."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'ssb_twin.db').resolve()}"


__all__ = ["ApiSettings"]
