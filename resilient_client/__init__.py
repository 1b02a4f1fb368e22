"""Resilient async HTTP runtime shared by every generated client.

Imports only httpx, tenacity, pydantic and the standard library. The exception
hierarchy is documented in ``resilient_client._exceptions``.
"""

from ._auth import ApiKeyAuth, Auth, BasicAuth, BearerAuth, OAuth2ClientCredentials
from ._breaker import BreakerTransition, CircuitBreaker, CircuitBreakerConfig, CircuitState
from ._bulkhead import Bulkhead, BulkheadConfig
from ._cache import CacheConfig, CacheStats
from ._client import BaseServiceClient
from ._config import ClientConfig, PoolLimits, RetryConfig, TimeoutConfig
from ._correlation import correlation_scope, get_correlation_id
from ._events import ClientEvents, FallbackEvent, RequestEvent, ResponseEvent, RetryEvent
from ._exceptions import (
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
    RequestTimeoutError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    TransportError,
    UnauthorizedError,
    UnprocessableEntityError,
)
from ._fallback import CallInfo
from ._health import HealthStatus
from ._metrics import MetricsSnapshot, OperationMetrics
from ._operation import NO_BODY, Envelope, Operation, ParamStyle, ResponseSpec, SpecPolicy
from ._retry import RetryBudget
from ._version import __version__, check_runtime_version

__all__ = [
    "NO_BODY",
    "ApiKeyAuth",
    "Auth",
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
    "CallInfo",
    "CircuitBreaker",
    "CircuitBreakerConfig",
    "CircuitOpenError",
    "CircuitState",
    "ClientClosedError",
    "ClientConfig",
    "ClientError",
    "ClientEvents",
    "ConfigError",
    "ConflictError",
    "Envelope",
    "EnvelopeError",
    "FallbackEvent",
    "ForbiddenError",
    "HTTPStatusError",
    "HealthStatus",
    "MetricsSnapshot",
    "NotFoundError",
    "OAuth2ClientCredentials",
    "Operation",
    "OperationMetrics",
    "ParamStyle",
    "PoolLimits",
    "RateLimitedError",
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
    "SpecPolicy",
    "TimeoutConfig",
    "TransportError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "__version__",
    "check_runtime_version",
    "correlation_scope",
    "get_correlation_id",
]
