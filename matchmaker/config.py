"""Configuration from MATCHMAKER_* environment variables, parsed into typed fields once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many

#: the rate limiter's storage in the app's database (``matchmaker.ratelimit_storage``)
DATABASE_LIMITER_URI = "matchmaker+db://"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 -- refused in production (`check`)
REMEMBER_ME = timedelta(days=30)  # lifetime of the "remember me" login cookie
API_RATE_LIMIT = "120 per minute"  # per API token, in flask-limiter's notation
ENVIRONMENTS = ("development", "production", "testing")
#: where listings are re-matched: by `matchmaker worker` processes, or inside the request
MATCHING_MODES = ("worker", "inline")
#: said beside the default emission factor; set MATCHMAKER_IMPACT_CO2_SOURCE with your own figure
DEFAULT_CO2_SOURCE = ("UK Government GHG conversion factors (DESNZ/DEFRA 2023), freighting goods, "
                      "HGV all diesel, average laden: about 0.1 kg CO2e per tonne-km (rounded; "
                      "check the current table)")


class ConfigError(RuntimeError):
    """The environment does not describe a service we may start."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"expected a boolean (true/false), got {value!r}")


def _int(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}: expected an integer, got {value!r}") from None


def _float(name: str, value: str | None, default: float) -> float:
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name}: expected a number, got {value!r}") from None


def tile_origin(url: str) -> str:
    """The CSP source for a tile URL template: `https://{s}.tile.example/{z}/{x}/{y}.png` gives
    `https://*.tile.example`; a path on our own server (`/tiles/...`) gives "" ('self' covers it)."""
    if url.startswith("/") and not url.startswith("//"):
        return ""
    parts = urlsplit(url)
    host = parts.netloc
    if host.startswith("{s}."):
        host = "*." + host[4:]
    if (parts.scheme not in ("https", "http") or not host or "{" in host or "@" in host
            or any(ch in host for ch in " ;,'\"")):
        raise ConfigError("MATCHMAKER_MAP_TILE_URL must be an http(s) URL like "
                          "https://{s}.tile.example/{z}/{x}/{y}.png or a path on this server")
    return f"{parts.scheme}://{host}"


@dataclass(frozen=True)
class Cluster:
    """Who runs this service: shown in the header, page titles and on the landing page."""

    name: str = "Kongsvinger industriklynge"
    logo: str = "cluster-logo.svg"  # a file under static/ or a path on this server; "" for none
    contact_name: str = "Kari Koordinator"
    contact_email: str = "koordinator@demo.example"
    contact_phone: str = "+47 400 00 000"

    @classmethod
    def from_env(cls, get, env: str) -> Cluster:  # noqa: ANN001
        # production never shows the demo's made-up coordinator: no contact until one is set
        default = cls() if env != "production" else cls(contact_name="", contact_email="",
                                                          contact_phone="")
        logo = get("MATCHMAKER_CLUSTER_LOGO")
        if logo and ("//" in logo or ":" in logo):
            # the CSP allows images from this server only
            raise ConfigError("MATCHMAKER_CLUSTER_LOGO must be a file under static/ or a path "
                              "on this server")
        return cls(
            name=get("MATCHMAKER_CLUSTER_NAME", "").strip() or default.name,
            logo=default.logo if logo is None else logo.strip(),
            contact_name=get("MATCHMAKER_CLUSTER_CONTACT_NAME", default.contact_name).strip(),
            contact_email=get("MATCHMAKER_CLUSTER_CONTACT_EMAIL", default.contact_email).strip(),
            contact_phone=get("MATCHMAKER_CLUSTER_CONTACT_PHONE", default.contact_phone).strip(),
        )


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    database_url: str
    geocoder: str  # "" (offline gazetteer only) or "nominatim"
    geocoder_user_agent: str
    ratelimit_storage_url: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str
    base_url: str
    thesaurus_extra: str  # path of a coordinator-maintained thesaurus merged over the shipped one
    match_top_n: int  # suggestions kept per listing
    workers: int  # gunicorn workers for `serve` and `demo`
    match_radius_km: float
    match_processes: int  # processes a full recompute (`matchmaker match`) uses
    semantic: bool  # sentence embeddings of listings (the semantic signal), when the model is installed
    match_settings: str  # path of a settings file (`matchmaker learn --write`), else the shipped defaults
    security_log: str  # file for the security log (``security_log``); empty: standard error
    trusted_proxies: int  # reverse proxies in front whose X-Forwarded-For/-Proto/-Host we believe
    api_rate_limit: str  # requests per API token, e.g. "120 per minute"
    impact_reference_km: float  # the usual haul to a processor outside the region (impact page)
    impact_co2_kg_per_tkm: float  # road freight emission factor, kg CO2e per tonne-km
    impact_co2_source: str  # where that factor comes from, shown beside it
    # Background tiles of the cluster map ({z}/{x}/{y}, optionally {s}); empty: no tiles, and no
    # coordinates ever go to a third party.
    # "worker": web requests only record a change and wake a `matchmaker worker` (the default);
    # "inline": the request re-matches itself (the test suite's default; one process)
    matching: str = "worker"
    # a Redis URL (redis://host:6379/0): the wake-up queue (RQ) between web and matching workers;
    # empty: workers poll the change feed every `worker_poll_seconds`
    queue_url: str = ""
    queue_name: str = "matchmaker"
    worker_poll_seconds: float = 1.0
    map_tile_url: str = ""
    map_attribution: str = ""
    cluster: Cluster = Cluster()
    # rendered pages kept per server process until the database changes (``page_cache``); 0: off
    page_cache_entries: int = 300

    @classmethod
    def from_env(cls, environ: dict[str, str] | os._Environ[str], instance_path: Path) -> Settings:
        get = environ.get
        env = get("MATCHMAKER_ENV", "development")
        if env not in ENVIRONMENTS:
            raise ConfigError(f"MATCHMAKER_ENV must be one of {', '.join(ENVIRONMENTS)}")
        default_db = f"sqlite:///{instance_path / 'matchmaker.sqlite3'}"
        return cls(
            env=env,
            secret_key=get("MATCHMAKER_SECRET_KEY", DEV_SECRET_KEY),
            database_url=get("MATCHMAKER_DATABASE_URL", "") or default_db,
            geocoder=get("MATCHMAKER_GEOCODER", ""),
            geocoder_user_agent=get("MATCHMAKER_GEOCODER_USER_AGENT", "matchmaker"),
            ratelimit_storage_url=get("MATCHMAKER_RATELIMIT_STORAGE_URL", "") or "database",
            smtp_host=get("MATCHMAKER_SMTP_HOST", ""),
            smtp_port=_int("MATCHMAKER_SMTP_PORT", get("MATCHMAKER_SMTP_PORT"), 25),
            smtp_user=get("MATCHMAKER_SMTP_USER", ""),
            smtp_password=get("MATCHMAKER_SMTP_PASSWORD", ""),
            smtp_starttls=_bool(get("MATCHMAKER_SMTP_STARTTLS"), False),
            mail_from=get("MATCHMAKER_MAIL_FROM", "matchmaker@localhost"),
            base_url=get("MATCHMAKER_BASE_URL", "http://127.0.0.1:8000"),
            thesaurus_extra=get("MATCHMAKER_THESAURUS_EXTRA", ""),
            workers=_int("MATCHMAKER_WORKERS", get("MATCHMAKER_WORKERS"), 2),
            match_top_n=_int("MATCHMAKER_MATCH_TOP_N", get("MATCHMAKER_MATCH_TOP_N"), 10),
            match_radius_km=_float("MATCHMAKER_MATCH_RADIUS_KM", get("MATCHMAKER_MATCH_RADIUS_KM"),
                                   150.0),
            match_processes=_int("MATCHMAKER_MATCH_PROCESSES", get("MATCHMAKER_MATCH_PROCESSES"),
                                 os.cpu_count() or 1),
            semantic=_bool(get("MATCHMAKER_SEMANTIC"), True),
            match_settings=get("MATCHMAKER_MATCH_SETTINGS", ""),
            security_log=get("MATCHMAKER_SECURITY_LOG", ""),
            trusted_proxies=_int("MATCHMAKER_TRUSTED_PROXIES", get("MATCHMAKER_TRUSTED_PROXIES"), 0),
            api_rate_limit=get("MATCHMAKER_API_RATE_LIMIT", "").strip() or API_RATE_LIMIT,
            impact_reference_km=_float("MATCHMAKER_IMPACT_REFERENCE_KM",
                                       get("MATCHMAKER_IMPACT_REFERENCE_KM"), 300.0),
            impact_co2_kg_per_tkm=_float("MATCHMAKER_IMPACT_CO2_KG_PER_TKM",
                                         get("MATCHMAKER_IMPACT_CO2_KG_PER_TKM"), 0.1),
            # the default source describes the default factor only
            impact_co2_source=get("MATCHMAKER_IMPACT_CO2_SOURCE", "") or (
                "" if get("MATCHMAKER_IMPACT_CO2_KG_PER_TKM") else DEFAULT_CO2_SOURCE),
            matching=get("MATCHMAKER_MATCHING", "") or ("inline" if env == "testing" else "worker"),
            queue_url=get("MATCHMAKER_QUEUE_URL", "").strip(),
            queue_name=get("MATCHMAKER_QUEUE_NAME", "").strip() or "matchmaker",
            worker_poll_seconds=_float("MATCHMAKER_WORKER_POLL_SECONDS",
                                       get("MATCHMAKER_WORKER_POLL_SECONDS"), 1.0),
            map_tile_url=get("MATCHMAKER_MAP_TILE_URL", "").strip(),
            map_attribution=get("MATCHMAKER_MAP_ATTRIBUTION", "").strip(),
            cluster=Cluster.from_env(get, env),
            page_cache_entries=_int("MATCHMAKER_PAGE_CACHE_ENTRIES",
                                    get("MATCHMAKER_PAGE_CACHE_ENTRIES"), 300),
        )

    def check(self) -> None:
        """Refuse to run production with a secret anyone can read in our source."""
        if self.env == "production" and (
            not self.secret_key or self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 16
        ):
            raise ConfigError(
                "MATCHMAKER_SECRET_KEY must be set to a long random value in production"
            )
        if self.impact_reference_km <= 0 or self.impact_co2_kg_per_tkm < 0:
            raise ConfigError("MATCHMAKER_IMPACT_REFERENCE_KM must be above 0 and "
                              "MATCHMAKER_IMPACT_CO2_KG_PER_TKM at least 0")
        if self.geocoder not in ("", "nominatim"):
            raise ConfigError("MATCHMAKER_GEOCODER must be empty or 'nominatim'")
        if self.matching not in MATCHING_MODES:
            raise ConfigError("MATCHMAKER_MATCHING must be 'worker' or 'inline'")
        if self.queue_url and not self.queue_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError("MATCHMAKER_QUEUE_URL must be a redis:// URL (or empty)")
        if self.page_cache_entries < 0:
            raise ConfigError("MATCHMAKER_PAGE_CACHE_ENTRIES must be 0 (off) or more")
        if self.worker_poll_seconds <= 0:
            raise ConfigError("MATCHMAKER_WORKER_POLL_SECONDS must be above 0")
        if self.map_tile_url:
            tile_origin(self.map_tile_url)  # raises ConfigError on a URL we cannot allow
        try:
            parse_many(self.api_rate_limit)
        except ValueError:
            raise ConfigError("MATCHMAKER_API_RATE_LIMIT must be like '120 per minute' or "
                              "'120/minute;2000/hour'") from None

    @property
    def map_tile_origin(self) -> str:
        """The tile server as a Content-Security-Policy source; "" for none or our own origin."""
        return tile_origin(self.map_tile_url) if self.map_tile_url else ""

    def flask_config(self) -> dict[str, object]:
        return {
            "SECRET_KEY": self.secret_key,
            "MATCHMAKER": self,
            "TESTING": self.env == "testing",
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.env == "production",
            "REMEMBER_COOKIE_SECURE": self.env == "production",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_DURATION": REMEMBER_ME,
            "RATELIMIT_STORAGE_URI": (DATABASE_LIMITER_URI if self.ratelimit_storage_url == "database"
                                      else self.ratelimit_storage_url),
            "RATELIMIT_ENABLED": True,
            "API_RATE_LIMIT": self.api_rate_limit,
            "BABEL_DEFAULT_LOCALE": "nb",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
            "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        }
