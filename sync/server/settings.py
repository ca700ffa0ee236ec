"""Configuration of the central server (environment variables ``CRF_SERVER_*`` or arguments)."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sync.protocol import PROTOCOL_VERSION, parse_version


class ServerSettings(BaseSettings):
    """What ``create_app`` needs; ``crf-server serve`` fills it from its options.

    Attributes:
        data_dir: Folder of the SQLite database and the admin token.
        database: ``postgresql://…`` to use PostgreSQL; None for SQLite in ``data_dir``.
        max_body_bytes: Largest request body, before and after decompression. A change set is
            at most 1 MiB of canonical JSON, so 2 MiB leaves room for the envelope.
        clock_skew_seconds: How far a signed request's time may be from the server's.
        admin_token: Bearer token for the monitors' endpoints (export, verify, queries);
            None turns those endpoints off.
        pool_size: Connections kept open to PostgreSQL.
        max_concurrent_uploads: Uploads verified and stored at once; more are answered 429
            with ``Retry-After`` so that devices back off instead of piling up.
        min_app_version: Apps below this version are told "update required" and may not
            sync (their data stay on their computer); None: any app of this protocol.
        recommended_app_version: Apps below this version are told once that an update is
            recommended; they keep syncing.
    """

    model_config = SettingsConfigDict(env_prefix="CRF_SERVER_")

    data_dir: Path = Path("crf-server-data")
    database: str | None = None
    max_body_bytes: int = 2 * 1024 * 1024
    clock_skew_seconds: int = 300
    admin_token: str | None = None
    pool_size: int = 8
    max_concurrent_uploads: int = 32
    min_app_version: str | None = None
    recommended_app_version: str | None = None

    @field_validator("min_app_version", "recommended_app_version")
    @classmethod
    def _a_version(cls, value: str | None) -> str | None:
        if value is not None:
            parse_version(value)
        return value

    def versions(self) -> dict[str, int | str | None]:
        """What the health and a device's state say of versions (``VERSION_FIELDS``): this
        server's protocol and the app versions it asks for."""
        return {
            "protocol": PROTOCOL_VERSION,
            "min_app_version": self.min_app_version,
            "recommended_app_version": self.recommended_app_version,
        }
