"""The control API under ``/__faults__``: configure faults and read counters over HTTP.

It is answered before the fault layer, so faults never hit it and it is not counted.
Routes (JSON in and out):

    GET    /__faults__                   overview: service, rules, stats, max_concurrency
    GET    /__faults__/stats             counters (requests, max_in_flight, correlation_ids, ...);
                                         ?idle_timeout=S waits until no request is in flight;
                                         ?records=false leaves out per-request records and ids
    DELETE /__faults__/stats             zero the counters
    GET    /__faults__/rules             configured rules
    POST   /__faults__/rules             add any rule: {kind, route?, count?, duration?, status?,
                                         retry_after?, latency?, chunk_size?, chunk_delay?}
    DELETE /__faults__/rules             remove every rule
    DELETE /__faults__/rules/{id}        remove one rule
    POST   /__faults__/fail-next         {count, status=503, retry_after?, route?}
    POST   /__faults__/fail-for          {seconds, status=503, retry_after?, route?}
    POST   /__faults__/latency           {seconds, route?, count?, duration?}
    POST   /__faults__/reset-next        {count=1, route?, after_handler=false}
    POST   /__faults__/truncate-next     {count=1, route?}
    POST   /__faults__/slow-body         {chunk_delay, chunk_size=16, count?, duration?, route?}
    PUT    /__faults__/max-concurrency   {max_concurrency: int | null}
    PUT    /__faults__/seed              {seed: int | null}: repeatable random draws

Every rule body also takes ``probability`` (default 1): below 1 the rule hits only that
random share of the requests it applies to (random rules share one draw per request).
    POST   /__faults__/reset             clear rules, counters and stored idempotent answers
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

from fault_server.faults import FaultKind, FaultRule, format_retry_after
from fault_server.middleware import CONTROL_PREFIX
from fault_server.state import ServerState


class _Scoped(BaseModel):
    route: str | None = Field(None, description='"/path" or "METHOD /path"; {x} and * allowed')
    probability: float = Field(1.0, gt=0, le=1, description="below 1: random share of requests")


class FailNext(_Scoped):
    count: int = Field(ge=0)
    status: int = 503
    retry_after: float | str | None = None


class FailFor(_Scoped):
    seconds: float = Field(ge=0)
    status: int = 503
    retry_after: float | str | None = None


class Latency(_Scoped):
    seconds: float = Field(ge=0)
    count: int | None = Field(None, ge=0)
    duration: float | None = Field(None, ge=0)


class ResetNext(_Scoped):
    count: int | None = Field(1, ge=0, description="null: until removed (with a probability)")
    after_handler: bool = False


class TruncateNext(_Scoped):
    count: int = Field(1, ge=0)


class SlowBody(_Scoped):
    chunk_delay: float = Field(ge=0)
    chunk_size: int = Field(16, ge=1)
    count: int | None = Field(None, ge=0)
    duration: float | None = Field(None, ge=0)


class RuleIn(_Scoped):
    kind: FaultKind
    count: int | None = Field(None, ge=0)
    duration: float | None = Field(None, ge=0)
    status: int = 503
    retry_after: float | str | None = None
    latency: float = Field(0.0, ge=0)
    chunk_size: int = Field(16, ge=1)
    chunk_delay: float = Field(0.0, ge=0)


class Seed(BaseModel):
    seed: int | None = None


class MaxConcurrency(BaseModel):
    max_concurrency: int | None = Field(None, ge=1)


def _added(add: Any) -> dict[str, Any]:
    try:
        rule: FaultRule = add()
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    return rule.to_dict()


def create_control_app(state: ServerState) -> FastAPI:
    app = FastAPI(
        title="fault-server control API",
        docs_url=f"{CONTROL_PREFIX}/docs",
        openapi_url=f"{CONTROL_PREFIX}/openapi.json",
        redoc_url=None,
    )
    faults = state.faults
    p = CONTROL_PREFIX

    @app.get(p)
    def overview() -> dict[str, Any]:
        return {
            "service": state.service,
            "max_concurrency": state.max_concurrency,
            "rules": faults.snapshot(),
            "stats": state.stats.snapshot(),
        }

    @app.get(f"{p}/stats")
    def stats(
        idle_timeout: float = Query(0.0, ge=0, le=30),
        records: bool = Query(True, description="false: counters only (cheap in long runs)"),
    ) -> dict[str, Any]:
        # A client sees a lost response before the server has finished the request; with
        # idle_timeout the answer waits (in FastAPI's thread pool) until nothing is in flight.
        if idle_timeout > 0:
            try:
                state.stats.wait_idle(idle_timeout)
            except TimeoutError as exc:
                raise HTTPException(status_code=409, detail="requests still in flight") from exc
        return state.stats.snapshot(records=records)

    @app.delete(f"{p}/stats")
    def reset_stats() -> dict[str, Any]:
        state.stats.reset()
        return state.stats.snapshot()

    @app.get(f"{p}/rules")
    def rules() -> list[dict[str, Any]]:
        return faults.snapshot()

    @app.post(f"{p}/rules", status_code=201)
    def add_rule(body: RuleIn) -> dict[str, Any]:
        rule = FaultRule(
            body.kind,
            route=body.route,
            count=body.count,
            duration=body.duration,
            status=body.status,
            retry_after=format_retry_after(body.retry_after),
            latency=body.latency,
            chunk_size=body.chunk_size,
            chunk_delay=body.chunk_delay,
            probability=body.probability,
        )
        return _added(lambda: faults.add(rule))

    @app.delete(f"{p}/rules")
    def clear_rules() -> dict[str, Any]:
        faults.clear()
        return {"rules": []}

    @app.delete(f"{p}/rules/{{rule_id}}")
    def remove_rule(rule_id: int) -> dict[str, Any]:
        if not faults.remove(rule_id):
            raise HTTPException(status_code=404, detail=f"no rule {rule_id}")
        return {"removed": rule_id}

    def add(kind: FaultKind, body: _Scoped, **fields: Any) -> dict[str, Any]:
        rule = FaultRule(kind, route=body.route, probability=body.probability, **fields)
        return _added(lambda: faults.add(rule))

    @app.post(f"{p}/fail-next", status_code=201)
    def fail_next(body: FailNext) -> dict[str, Any]:
        retry_after = format_retry_after(body.retry_after)
        return add(
            FaultKind.STATUS, body, count=body.count, status=body.status, retry_after=retry_after
        )

    @app.post(f"{p}/fail-for", status_code=201)
    def fail_for(body: FailFor) -> dict[str, Any]:
        retry_after = format_retry_after(body.retry_after)
        return add(
            FaultKind.STATUS,
            body,
            duration=body.seconds,
            status=body.status,
            retry_after=retry_after,
        )

    @app.post(f"{p}/latency", status_code=201)
    def latency(body: Latency) -> dict[str, Any]:
        return add(
            FaultKind.LATENCY, body, latency=body.seconds, count=body.count, duration=body.duration
        )

    @app.post(f"{p}/reset-next", status_code=201)
    def reset_next(body: ResetNext) -> dict[str, Any]:
        kind = FaultKind.RESET_AFTER if body.after_handler else FaultKind.RESET
        return add(kind, body, count=body.count)

    @app.post(f"{p}/truncate-next", status_code=201)
    def truncate_next(body: TruncateNext) -> dict[str, Any]:
        return add(FaultKind.TRUNCATE, body, count=body.count)

    @app.post(f"{p}/slow-body", status_code=201)
    def slow_body(body: SlowBody) -> dict[str, Any]:
        return add(
            FaultKind.SLOW_BODY,
            body,
            chunk_delay=body.chunk_delay,
            chunk_size=body.chunk_size,
            count=body.count,
            duration=body.duration,
        )

    @app.put(f"{p}/seed")
    def seed(body: Seed) -> dict[str, Any]:
        faults.seed(body.seed)
        return {"seed": body.seed}

    @app.put(f"{p}/max-concurrency")
    def max_concurrency(body: MaxConcurrency) -> dict[str, Any]:
        state.max_concurrency = body.max_concurrency
        return {"max_concurrency": state.max_concurrency}

    @app.post(f"{p}/reset")
    def reset_all() -> dict[str, Any]:
        state.reset()
        return {"rules": [], "stats": state.stats.snapshot()}

    return app
