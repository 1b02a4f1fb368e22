"""The merged per-operation plan, resolved once per (operation, client).

Precedence per field: per-call argument (applied in the pipeline) > a field the user
set in ``ClientConfig`` > the spec's ``x-resilience`` (``SpecPolicy``) > runtime default.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

import httpx

from ._config import ClientConfig, TimeoutConfig
from ._exceptions import ResponseValidationError
from ._operation import Envelope, Operation, ParamStyle, ResponseSpec
from ._retry import IDEMPOTENT_METHODS
from ._serialize import PathTemplate

N = TypeVar("N", int, float)

logger = logging.getLogger("resilient_client")


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    method: str
    path: PathTemplate
    param_styles: Mapping[str, ParamStyle]
    timeout: httpx.Timeout
    #: the longest per-attempt phase, for clipping to the remaining deadline
    timeout_seconds: float | None
    deadline: float | None
    max_attempts: int
    backoff_base: float
    backoff_cap: float
    jitter: bool
    retry_after_cap: float
    retry_statuses: frozenset[int]
    #: the call may be repeated without side effects (method or spec says so)
    may_repeat: bool
    #: generate one Idempotency-Key when the caller gave none (spec idempotent POST/PATCH)
    auto_idempotency_key: bool
    cache_ttl: float | None
    #: the spec's per-operation bound on cached entries (None: only the client-wide one)
    cache_max_entries: int | None
    envelope: Envelope | None
    authenticated: bool
    content_type: str | None
    exact: Mapping[int, ResponseSpec]
    ranges: Mapping[int, ResponseSpec]
    default: ResponseSpec | None
    #: decode responses forward-compatibly (unknown enum values kept): not strict_responses
    open_responses: bool = True

    def response_for(self, status: int) -> ResponseSpec | None:
        spec = self.exact.get(status)
        if spec is None:
            spec = self.ranges.get(status // 100)
        return spec if spec is not None else self.default

    def success_for(self, status: int) -> ResponseSpec | None:
        """How to decode a success answer with this status; None: nothing is declared
        (raw JSON, as the method's ``Any`` return type says).

        A 2xx the spec does not list (a server answering 201 where its document says
        200) is decoded with the operation's one success type when it has one, so a
        typed method never hands back a bare dict; with several success types to choose
        from it is a ``ResponseValidationError``. ``default`` describes success only
        for an operation that declares no 2xx of its own.
        """
        spec = self.exact.get(status)
        if spec is None:
            spec = self.ranges.get(status // 100)
        if spec is not None or not 200 <= status < 300:
            return spec if spec is not None else self.default
        declared = {code: s for code, s in self.exact.items() if 200 <= code < 300}
        if not declared:
            return self.default
        kinds: list[tuple[str, object]] = []
        for candidate in declared.values():
            if (candidate.kind, candidate.type) not in kinds:
                kinds.append((candidate.kind, candidate.type))
        codes = ", ".join(str(code) for code in sorted(declared))
        if len(kinds) > 1:
            raise ResponseValidationError(
                f"HTTP {status} is not a success status the spec declares for {self.name}"
                f" ({codes}), and those decode differently: cannot tell what it holds"
            )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s: HTTP %d is not declared by the spec; decoding it as the declared %s",
                self.name,
                status,
                codes,
                extra={"operation": self.name, "status": status},
            )
        return next(iter(declared.values()))


def _split_responses(
    responses: Mapping[str, ResponseSpec],
) -> tuple[dict[int, ResponseSpec], dict[int, ResponseSpec], ResponseSpec | None]:
    exact: dict[int, ResponseSpec] = {}
    ranges: dict[int, ResponseSpec] = {}
    default = None
    for key, spec in responses.items():
        text = str(key).strip().upper()
        if text == "DEFAULT":
            default = spec
        elif len(text) == 3 and text.endswith("XX") and text[0].isdigit():
            ranges[int(text[0])] = spec
        elif text.isdigit():
            exact[int(text)] = spec
    return exact, ranges, default


def resolve_plan(operation: Operation[object], config: ClientConfig) -> Plan:
    spec = operation.policy
    retry = config.retry
    method = operation.method.upper()

    def pick(section: str, name: str, spec_value: N | None, default: N) -> N:
        if config.user_set(section, name):
            value: N = getattr(getattr(config, section), name)
            return value
        return spec_value if spec_value is not None else default

    if "timeout" in config.model_fields_set or spec.timeout is None:
        timeout_config = config.timeout
    else:
        timeout_config = TimeoutConfig.of(spec.timeout)
    if "deadline" in config.model_fields_set or spec.deadline is None:
        deadline = config.deadline
    else:
        deadline = spec.deadline

    idempotent_method = method in IDEMPOTENT_METHODS
    cache_ttl: float | None = None
    cache = config.cache
    if (
        cache is not None
        and cache.enabled
        and (spec.cacheable or operation.name in config.cache_operations)
    ):
        ttl = pick("cache", "ttl", spec.cache_ttl, cache.ttl)
        cache_ttl = float(ttl) if ttl > 0 else None
    # The spec's max_entries bounds this operation's entries; CacheConfig.max_entries
    # bounds the whole client's. Different scopes, so both hold rather than one winning.
    # A bound of 0 keeps nothing: the operation is not cached at all.
    cache_max_entries = spec.cache_max_entries if cache_ttl is not None else None
    if cache_max_entries is not None and cache_max_entries < 1:
        cache_ttl = cache_max_entries = None

    exact, ranges, default = _split_responses(operation.responses)
    return Plan(
        name=operation.name,
        method=method,
        path=PathTemplate(operation.path),
        param_styles=operation.param_styles,
        timeout=timeout_config.to_httpx(),
        timeout_seconds=timeout_config.longest(),
        deadline=deadline,
        max_attempts=pick("retry", "max_attempts", spec.max_attempts, retry.max_attempts),
        backoff_base=pick("retry", "backoff_base", spec.backoff_base, retry.backoff_base),
        backoff_cap=pick("retry", "backoff_cap", spec.backoff_cap, retry.backoff_cap),
        jitter=retry.jitter,
        retry_after_cap=retry.retry_after_cap,
        retry_statuses=retry.retry_statuses,
        may_repeat=idempotent_method or bool(spec.idempotent),
        auto_idempotency_key=bool(spec.idempotent) and not idempotent_method,
        cache_ttl=cache_ttl,
        cache_max_entries=cache_max_entries,
        envelope=operation.envelope,
        authenticated=operation.authenticated,
        content_type=operation.request_content_type,
        exact=exact,
        ranges=ranges,
        default=default,
        open_responses=not config.strict_responses,
    )
