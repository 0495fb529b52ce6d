"""All configuration, from one pydantic-settings class (environment prefix ``QA_``).

Get it through :func:`get_settings` (cached); never build it at import time. Every model setting
is either a local path or empty, meaning "the embedded default from an installed package"; see
``models/manifest.toml`` and ``qa-service models``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The project checkout (``models/``, ``rubrics/``, ``sample_audio/`` live here).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    # where things live ------------------------------------------------------------------------
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Database, audio store, caches.")
    model_cache_dir: Path | None = Field(
        default=None, description="Assembled/converted model weights (default: <data_dir>/models)."
    )
    manifest_path: Path = PROJECT_ROOT / "models" / "manifest.toml"
    rubric_dir: Path = PROJECT_ROOT / "rubrics"
    sample_dir: Path = PROJECT_ROOT / "sample_audio"

    # models: a local directory/file, or empty for the embedded default ------------------------
    asr_model_en: Path | None = Field(default=None, description="CTranslate2 Whisper dir for English.")
    asr_model_multilingual: Path | None = Field(
        default=None, description="CTranslate2 Whisper dir for Mandarin and other languages."
    )
    segmentation_model: Path | None = Field(default=None, description="pyannote segmentation checkpoint.")
    embedding_model: Path | None = Field(default=None, description="CAM++ speaker-embedding state dict.")
    text_encoder_model: Path | None = Field(default=None, description="Base encoder dir (transformers).")
    classifier_model: Path | None = Field(default=None, description="Trained call classifier dir.")

    # compute ------------------------------------------------------------------------------------
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compute_type: str = Field(default="auto", description="CTranslate2 compute type; auto picks by device.")
    cpu_threads: int = Field(
        default=0,
        description="Threads per speech model; 0 = all cores (the call classifier always runs at one thread, "
        "so its scores do not depend on the cores).",
    )
    asr_beam_size: int = 1
    asr_beam_size_en: int | None = Field(
        default=5, description="Beam size for the English model (empty = asr_beam_size): beam 5 takes "
        "tiny.en from 11.4% to 9.2% WER on the sample calls; on Mandarin, Whisper base only gets slower.")
    asr_batch_size: int = 8
    asr_no_repeat_ngram_size: int = Field(default=0, ge=0, description="Whisper may not repeat an n-gram of this "
                                          "many tokens in one 30 s window (0 = off); wideband audio.")
    asr_no_repeat_ngram_size_8k: int = Field(
        default=3, ge=0, description="The same for telephone-band audio (recorded at 8 kHz or less): 3 stops the "
        "decoding loops that swallowed whole stretches of 8 kHz calls (the 19 sample calls' 8 kHz variants: "
        "English WER 26.6% → 24.8%, roles right for 38/38 speakers instead of 36/38, item verdicts 51.9% → 52.6% "
        "right, RTF 0.434 → 0.370; Mandarin CER 65.2% → 66.6%).")

    asr_rubric_hints: Literal["off", "8k", "all"] = Field(
        default="off", description="Give the multilingual recogniser the phrases of the rubric that will score "
        "the call as hotwords (qa_service.rubrics.hints): on telephone-band audio only (8k), on every call (all) "
        "or never. Off: Whisper base writes the Chinese hints into the transcript where they were not said "
        "(the sample calls' 8 kHz variants: CER 56.5% → 85.9%).")
    asr_rubric_hints_en: Literal["off", "8k", "all"] | None = Field(
        default="8k", description="The same for the English model (empty = asr_rubric_hints): on the sample "
        "calls' 8 kHz variants tiny.en then writes the required phrases as the rubric does (English item "
        "verdicts 64.1% → 95.8% right with its review_confidence recalibrated to 0.0, no expected failure turned "
        "into a pass; WER 22.7% → 29.4%).")

    # speech pipeline ------------------------------------------------------------------------------
    language: str = Field(default="auto", description='"zh", "en" or "auto" (detect).')
    allow_language_detection: bool = True
    agent_channel: int = Field(default=0, description="Stereo: the agent's channel (0/1, left/right).")
    num_speakers: int = Field(default=2, description="Mono calls: expected speakers.")
    hotwords: list[str] = Field(default_factory=list, description="Bank and product names for ASR.")
    vad_filter: bool = True
    role_confidence_threshold: float = 0.6

    # rubrics ---------------------------------------------------------------------------------------
    rubric_vars: dict[str, str] = Field(
        default_factory=lambda: {"bank_name": "建设银行", "bank_name_en": "Construction Bank"},
        description="Template variables for rubrics (bank name, product names, job-number pattern).",
    )
    review_confidence_en: float | None = Field(
        default=None, ge=0, le=1, description="Word confidence under which an English phrase match needs "
        "review, in place of the rubrics' review_confidence (it belongs to the recogniser: calibrate it "
        "with `qa-service eval --calibrate` for the model in use). Empty: the value models/manifest.toml "
        "records for the default weights, or with QA_ASR_MODEL_EN set, the rubrics' own.")
    review_confidence_zh: float | None = Field(
        default=None, ge=0, le=1, description="The same for Mandarin transcripts.")
    silence_threshold_s: float = 5.0

    # storage and workers ---------------------------------------------------------------------------
    database_url: str | None = Field(default=None, description="Default: SQLite in <data_dir>/qa.db.")
    audio_store_dir: Path | None = Field(default=None, description="Default: <data_dir>/audio.")
    broker_url: str | None = Field(default=None, description="Celery broker; empty = embedded worker.")
    result_backend: str | None = None
    customer_ref_salt: str = Field(default="change-me", description="Salt for hashing customer references.")
    redact_pii: bool = True
    timezone: str = Field(default="Asia/Shanghai", description="Call-centre local time zone.")
    shifts: dict[str, str] = Field(
        default_factory=lambda: {"early": "07:00-15:00", "late": "15:00-23:00", "night": "23:00-07:00"},
        description="Shift name → local 'HH:MM-HH:MM' (may wrap midnight); calls are counted per shift.",
    )
    ingest_filename_pattern: str = Field(
        default=r"AGENT_(?P<agent_id>[A-Za-z0-9-]+)_DT_(?P<started_at>\d{8}[T_-]?\d{4,6})",
        description="Regex searched in recorder file names; named groups are CallMetadata fields.",
    )
    lease_timeout_s: float = Field(default=600.0, description="A silent stage this old is stuck.")
    queue_grace_s: float = Field(default=120.0, description="Re-send queued calls this old if queue empty.")
    requeue_after_s: float = Field(default=3600.0, description="Re-send queued calls this old anyway.")
    sweep_interval_s: float = Field(default=30.0, description="How often each worker runs the sweeper.")
    max_attempts: int = Field(default=3, description="Lost-worker attempts before failing.")
    task_max_retries: int = Field(default=8, description="Retries of a transient error (database, broker).")
    retry_backoff_s: float = Field(default=2.0, description="First retry delay; doubles per retry.")
    retry_backoff_max_s: float = Field(default=120.0, description="Longest retry delay.")
    # supervisor API -------------------------------------------------------------------------------
    api_host: str = Field(default="127.0.0.1", description="Address `qa-service serve` listens on.")
    api_port: int = Field(default=8000, description="Port `qa-service serve` listens on.")
    token_ttl_s: float = Field(default=8 * 3600.0, description="How long a sign-in token lasts.")
    auth_cache_s: float = Field(
        default=5.0, ge=0, description="How long one API process trusts a token it has checked before checking "
        "it again (0: every request). A token revoked or a user disabled elsewhere is refused within this time.")
    live_api_keys: dict[str, str] = Field(
        default_factory=dict, description="Live audio in: API key → client secret (base64), as configured in the "
        "PBX (AudioHook: the integration's API key and client secret). Empty: live connections are refused.")
    live_silence_s: float = Field(default=15.0, gt=0, description="Live alert after this long with no one speaking.")
    live_partial_s: float = Field(default=1.5, ge=0, description="Partial transcripts of the words being "
                                  "spoken, at most this often per channel, for whoever listens in (0: none).")
    live_asr_workers: int = Field(default=2, ge=1, description="Threads transcribing live calls in one API process.")
    live_beam_size: int = Field(default=1, ge=1, description="Beam size for live utterances (greedy: latency "
                                "matters more live; the stored recording is transcribed again by the batch pipeline).")
    stats_cache_size: int = Field(
        default=256, ge=0, description="Computed statistics (centre figures, compliance, grades) kept per API "
        "process, each valid while the data it was computed from is unchanged (0: always recount).")
    login_max_failures: int = Field(default=5, description="Failed log-ins (per user name) before throttling.")
    login_window_s: float = Field(default=900.0, description="Window the failed log-ins are counted in.")
    login_lockout_s: float = Field(default=300.0, description="How long a throttled user name waits.")
    upload_max_bytes: int = Field(default=200 * 1024 * 1024, description="Largest audio file an upload takes.")
    upload_max_files: int = Field(default=50, description="Most files in one upload request.")
    flag_score_below: float = Field(default=80.0, description="Flag calls whose score is under this.")
    flag_silence_s: float = Field(default=15.0, description="Flag calls with a single silence this long.")
    flag_escalation_score: float = Field(default=0.5, description="Flag calls at this escalation risk or more.")
    flag_on_complaint: bool = Field(default=True, description="Flag calls classified as complaints.")
    flag_on_needs_review: bool = Field(default=True, description="Flag calls with needs-review findings.")
    calibration_sample_rate: float = Field(
        default=0.05, description="Share of calls flagged at random (stable per call) for calibration.")
    embedded_worker: bool = Field(
        default=True, description="`qa-service serve` without a broker runs a worker thread for uploads.")

    analysis_backend: str = Field(
        default="", description="'module:factory' of the analysis backend; empty = the real pipeline."
    )

    @field_validator("agent_channel", mode="before")
    @classmethod
    def _channel_name(cls, value: object) -> object:
        from qa_service.domain.call import parse_channel

        if isinstance(value, str):
            channel = parse_channel(value)
            if channel is None:
                raise ValueError("QA_AGENT_CHANNEL must be 0, 1, left or right")
            return channel
        return value

    @property
    def resolved_model_cache_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'qa.db'}"

    @property
    def resolved_audio_store_dir(self) -> Path:
        return self.audio_store_dir or self.data_dir / "audio"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once from the environment (and ``.env``)."""
    return Settings()
