"""Resilient async HTTP runtime shared by every generated client.

Imports only httpx, tenacity, pydantic and the standard library. Generated clients
subclass ``BaseServiceClient`` and call ``_request(operation, ...)`` (docs/CONTRACT.md).

One call goes through, in order: correlation id -> cache lookup -> bulkhead slot ->
retry loop, where each attempt takes a circuit-breaker permit, sends with its own
``httpx.Timeout`` and is classified -> breaker record -> metrics/log -> decode into
the typed model -> cache store.

Decisions worth knowing:

* **Breaker per attempt.** Every attempt takes its own permit and records its own
  verdict, so an outage opens the circuit after ``failure_threshold`` failed
  *requests* and a retry loop stops as soon as the circuit opens. Failures: 5xx, 408,
  429, transport errors, timeouts. 404 and other 4xx, body/envelope errors and
  cancellation record nothing (``release``).
* **Retries.** ``max_attempts`` counts the first attempt, which runs outside tenacity;
  a fresh ``AsyncRetrying`` drives the rest. Connect errors are retried for any method;
  timeouts and 408/429/5xx only for idempotent methods, spec-idempotent operations or
  calls carrying an ``Idempotency-Key``. A per-client retry budget (gRPC-style token
  bucket) stops retries, never first attempts, during an outage. The last attempt's
  typed error is raised, never tenacity's ``RetryError``.
* **Precedence**, resolved once per (operation, client): per-call argument > field the
  user set in ``ClientConfig`` > the spec's ``x-resilience`` > runtime default.
* **Fallbacks** return the operation's own type; the ``"fallback"`` outcome in metrics,
  logs and ``ClientEvents.on_fallback`` says the answer came from one.
* **Secrets** (Authorization, API keys, cookies) are redacted in every log record,
  error and event, and dropped on redirects to another origin.

The exception hierarchy is documented in ``resilient_client._exceptions``.
"""

import logging

from ._auth import (
    ApiKeyAuth,
    Auth,
    BasicAuth,
    BearerAuth,
    CombinedAuth,
    OAuth2ClientCredentials,
    TokenProvider,
)
from ._breaker import BreakerTransition, CircuitBreaker, CircuitBreakerConfig, CircuitState
from ._bulkhead import Bulkhead, BulkheadConfig
from ._cache import CacheConfig, CacheStats
from ._client import BaseServiceClient
from ._config import ClientConfig, EventStreamConfig, PoolLimits, RetryConfig, TimeoutConfig
from ._correlation import correlation_scope, get_correlation_id
from ._event_stream import EventStream
from ._events import (
    CallEvent,
    ClientEvents,
    FallbackEvent,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
)
from ._exceptions import (
    AuthError,
    BadRequestError,
    BulkheadFullError,
    CircuitOpenError,
    ClientClosedError,
    ClientError,
    ConfigError,
    ConflictError,
    EnvelopeError,
    ForbiddenError,
    HTTPStatusError,
    NotFoundError,
    RateLimitedError,
    RateLimitExceededError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    StreamInterruptedError,
    StreamTimeoutError,
    TransportError,
    UnauthorizedError,
    UnprocessableEntityError,
)
from ._fallback import CallInfo
from ._health import HealthStatus
from ._metrics import MetricsSnapshot, OperationMetrics
from ._open import OpenEnum, OpenLiteral
from ._operation import (
    NO_BODY,
    NOT_GIVEN,
    CallOptions,
    Envelope,
    NotGiven,
    Operation,
    ParamStyle,
    ResponseSpec,
    SpecPolicy,
)
from ._paginate import AsyncPaginator, Pagination, PaginationLoopError
from ._ratelimit import RateLimitConfig
from ._raw import RawResponse
from ._redact import add_sensitive_names
from ._retry import RetryBudget
from ._sse import ServerSentEvent
from ._state import MemoryBackend, StateBackend
from ._stream import StreamContext, StreamedResponse
from ._version import __version__, check_runtime_version

# A library must not print on its own: without this, Python's last-resort handler writes
# the runtime's WARNING records (breaker transitions) to stderr in apps that never
# configured logging. Apps that do configure logging see every record as usual.
logging.getLogger("resilient_client").addHandler(logging.NullHandler())

__all__ = [
    "NOT_GIVEN",
    "NO_BODY",
    "ApiKeyAuth",
    "AsyncPaginator",
    "Auth",
    "AuthError",
    "BadRequestError",
    "BaseServiceClient",
    "BasicAuth",
    "BearerAuth",
    "BreakerTransition",
    "Bulkhead",
    "BulkheadConfig",
    "BulkheadFullError",
    "CacheConfig",
    "CacheStats",
    "CallEvent",
    "CallInfo",
    "CallOptions",
    "CircuitBreaker",
    "CircuitBreakerConfig",
    "CircuitOpenError",
    "CircuitState",
    "ClientClosedError",
    "ClientConfig",
    "ClientError",
    "ClientEvents",
    "CombinedAuth",
    "ConfigError",
    "ConflictError",
    "Envelope",
    "EnvelopeError",
    "EventStream",
    "EventStreamConfig",
    "FallbackEvent",
    "ForbiddenError",
    "HTTPStatusError",
    "HealthStatus",
    "MemoryBackend",
    "MetricsSnapshot",
    "NotFoundError",
    "NotGiven",
    "OAuth2ClientCredentials",
    "OpenEnum",
    "OpenLiteral",
    "Operation",
    "OperationMetrics",
    "Pagination",
    "PaginationLoopError",
    "ParamStyle",
    "PoolLimits",
    "RateLimitConfig",
    "RateLimitExceededError",
    "RateLimitedError",
    "RawResponse",
    "RequestEvent",
    "RequestTimeoutError",
    "ResponseEvent",
    "ResponseSpec",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryBudget",
    "RetryConfig",
    "RetryEvent",
    "ServerError",
    "ServerSentEvent",
    "SpecPolicy",
    "StateBackend",
    "StreamContext",
    "StreamInterruptedError",
    "StreamTimeoutError",
    "StreamedResponse",
    "TimeoutConfig",
    "TokenProvider",
    "TransportError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "__version__",
    "add_sensitive_names",
    "check_runtime_version",
    "correlation_scope",
    "get_correlation_id",
]
