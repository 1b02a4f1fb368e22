"""``_events``: a ``text/event-stream`` answer as typed events, closed on every way out,
reconnected with ``Last-Event-ID`` only for idempotent operations (respx, fake time)."""

from __future__ import annotations

import asyncio
import logging
import tracemalloc
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import httpx
import pytest
import respx
from fakes import FakeClock, FakeSleep
from pydantic import BaseModel

from resilient_client import (
    BaseServiceClient,
    BulkheadConfig,
    CircuitState,
    ClientConfig,
    EventStream,
    EventStreamConfig,
    NotFoundError,
    Operation,
    ResponseSpec,
    ResponseTooLargeError,
    ResponseValidationError,
    RetryConfig,
    ServerSentEvent,
    SpecPolicy,
    StreamInterruptedError,
    StreamTimeoutError,
    TransportError,
)
from resilient_client.testing import MockClient, MockedOperation

BASE = "http://events.test"


class Tick(BaseModel):
    n: int
    label: str = ""


def _operation(method: str, events: ResponseSpec | None, **kw: Any) -> Operation[str]:
    return Operation(
        "watch" if method == "GET" else "publish",
        method,
        "/ticks",
        responses={"200": ResponseSpec("text"), "404": ResponseSpec("json", None)},
        events=events,
        **kw,
    )


WATCH = _operation("GET", ResponseSpec("json", Tick))
WATCH_TEXT = _operation("GET", None)
PUBLISH = _operation("POST", ResponseSpec("json", Tick))
PUBLISH_IDEMPOTENT = _operation(
    "POST", ResponseSpec("json", Tick), policy=SpecPolicy(idempotent=True)
)


WATCH_ONLY: Operation[EventStream[Tick]] = Operation(
    "watch",
    "GET",
    "/ticks",
    responses={"200": ResponseSpec("text"), "404": ResponseSpec("json", None)},
    policy=SpecPolicy(cache_ttl=60),  # never used: a stream is not cached
    events=ResponseSpec("json", Tick),
    events_only=True,
)


class TickClient(BaseServiceClient):
    service_name: ClassVar[str] = "TickService"
    default_base_url: ClassVar[str | None] = BASE

    async def watch(self, **kw: Any) -> EventStream[Tick]:
        return await self._request(WATCH_ONLY, **kw)

    def watch_events(self, **kw: Any) -> EventStream[Tick]:
        return self._events(WATCH, **kw)

    def watch_text(self, **kw: Any) -> EventStream[str]:
        return self._events(WATCH_TEXT, **kw)

    def publish_events(self, *, idempotent: bool = False, **kw: Any) -> EventStream[Tick]:
        return self._events(PUBLISH_IDEMPOTENT if idempotent else PUBLISH, json={"x": 1}, **kw)


class Body(httpx.AsyncByteStream):
    """Body pieces produced one at a time; then the end, a reset, or a wait for ever.
    ``gap`` advances the fake clock between two pieces (time passing on the server)."""

    def __init__(
        self,
        *pieces: bytes,
        then: str = "end",
        clock: FakeClock | None = None,
        gap: float = 0.0,
        gate: asyncio.Event | None = None,
    ) -> None:
        self.pieces = pieces
        self.then = then
        self.clock = clock
        self.gap = gap
        self.gate = gate  # awaited before every piece but the first
        self.sent = 0
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index, piece in enumerate(self.pieces):
            if self.clock is not None and index:
                self.clock.advance(self.gap)
            if self.gate is not None and index:
                await self.gate.wait()
            self.sent += 1
            yield piece
        if self.then == "reset":
            raise httpx.ReadError("connection reset by peer")
        if self.then == "hang":
            await asyncio.Event().wait()  # until the client goes

    async def aclose(self) -> None:
        self.closed = True


def sse(body: Body, status: int = 200, content_type: str = "text/event-stream") -> httpx.Response:
    return httpx.Response(status, headers={"content-type": content_type}, stream=body)


def tick(
    n: int, *, id: str | None = None, event: str | None = None, retry: int | None = None
) -> bytes:
    lines = [f"event: {event}"] if event else []
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines.append(f'data: {{"n": {n}, "label": "t{n}"}}')
    return ("\n".join(lines) + "\n\n").encode()


@pytest.fixture
async def router() -> AsyncIterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def make_client(clock: FakeClock, sleeper: FakeSleep) -> Callable[..., TickClient]:
    def factory(**config: Any) -> TickClient:
        return TickClient(config=ClientConfig(**config), clock=clock, sleep=sleeper)

    return factory


def answers(router: respx.MockRouter, method: str, *responses: httpx.Response) -> respx.Route:
    route = router.route(method=method, path="/ticks")
    route.side_effect = list(responses)
    return route


# -- typed events --------------------------------------------------------------------


async def test_events_carry_the_spec_model_and_the_sse_fields(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    body = Body(tick(1, id="a"), b": keep-alive\n\n", tick(2, event="update", retry=500))
    route = answers(router, "GET", sse(body))
    client = make_client()
    async with client.watch_events() as events:
        received = [event async for event in events]
    assert received == [
        ServerSentEvent("message", Tick(n=1, label="t1"), '{"n": 1, "label": "t1"}', "a"),
        ServerSentEvent("update", Tick(n=2, label="t2"), '{"n": 2, "label": "t2"}', "a", 500),
    ]
    request = route.calls[0].request
    assert request.headers["accept"] == "text/event-stream"
    assert events.correlation_id == request.headers["x-correlation-id"]
    assert events.last_event_id == "a" and body.closed
    assert client.metrics().total.calls == 1 and client.metrics().total.failures == 0


async def test_without_a_schema_the_data_is_the_text(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    answers(router, "GET", sse(Body(b"data: line 1\ndata: line 2\n\n", b"data: [DONE]\n\n")))
    received = [event.data async for event in make_client().watch_text()]
    assert received == ["line 1\nline 2", "[DONE]"]  # no schema: [DONE] is just text


async def test_done_ends_a_typed_stream(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    body = Body(tick(1), b"data: [DONE]\n\n", tick(2), then="hang")
    answers(router, "GET", sse(body))
    received = [event.data.n async for event in make_client().watch_events()]
    assert received == [1] and body.closed


async def test_data_that_does_not_fit_the_model_raises_and_closes(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    body = Body(tick(1), b'data: {"n": "many"}\n\n', tick(3), then="hang")
    answers(router, "GET", sse(body))
    client = make_client()
    received: list[int] = []
    with pytest.raises(ResponseValidationError, match="does not match Tick") as caught:
        async for event in client.watch_events():
            received.append(event.data.n)
    assert received == [1] and body.closed
    assert caught.value.operation == "watch" and caught.value.correlation_id
    assert client.circuit_breaker.state == CircuitState.CLOSED
    assert client.metrics().total.failures == 1  # recorded as the call's outcome


async def test_an_error_status_raises_its_typed_error_on_entering(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    answers(router, "GET", httpx.Response(404, json={"detail": "no such stream"}))
    with pytest.raises(NotFoundError, match="no such stream"):
        async with make_client().watch_events():
            pytest.fail("the block must not run")


async def test_a_body_that_is_not_an_event_stream_is_refused(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    body = Body(b'{"n": 1}')
    answers(router, "GET", sse(body, content_type="application/json"))
    with pytest.raises(ResponseValidationError, match="expected a text/event-stream"):
        async for _ in make_client().watch_events():
            pass
    assert body.closed


# -- sizes and time ------------------------------------------------------------------


async def test_max_response_bytes_bounds_each_event_not_the_stream(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    answers(router, "GET", sse(Body(*[tick(n) for n in range(200)])))  # ~7 KB in all
    client = make_client(max_response_bytes=100)
    assert len([e async for e in client.watch_events()]) == 200
    huge = Body(b"data: " + b"x" * 150 + b"\n\n", then="hang")
    answers(router, "GET", sse(huge))
    with pytest.raises(ResponseTooLargeError):
        async for _ in client.watch_events():
            pass
    assert huge.closed


async def test_the_download_deadline_does_not_end_an_event_stream(
    router: respx.MockRouter, make_client: Callable[..., TickClient], clock: FakeClock
) -> None:
    # 300 events 20 s apart: 6000 s, past the one-hour stream_deadline of downloads
    answers(router, "GET", sse(Body(*[tick(n) for n in range(300)], clock=clock, gap=20)))
    assert len([e async for e in make_client().watch_events()]) == 300


async def test_a_per_call_deadline_caps_the_stream_and_is_not_reconnected(
    router: respx.MockRouter, make_client: Callable[..., TickClient], clock: FakeClock
) -> None:
    route = answers(router, "GET", sse(Body(*[tick(n) for n in range(10)], clock=clock, gap=20)))
    received: list[int] = []
    with pytest.raises(StreamTimeoutError) as caught:
        async for event in make_client().watch_events(deadline=50):
            received.append(event.data.n)
    assert caught.value.timeout_kind == "deadline" and received == [0, 1, 2]  # 0, 20, 40 s
    assert route.call_count == 1


# -- leaving early closes the connection and frees the slot --------------------------


def one_slot(make_client: Callable[..., TickClient]) -> TickClient:
    return make_client(bulkhead=BulkheadConfig(max_concurrency=1, acquire_timeout=0.01))


async def test_break_inside_async_with_closes_at_once(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    first, second = Body(tick(1), tick(2), then="hang"), Body(tick(9))
    answers(router, "GET", sse(first), sse(second))
    client = one_slot(make_client)
    async with client.watch_events() as events:
        async for _ in events:
            break
        assert not first.closed  # still inside the block
    assert first.closed
    assert [e.data.n async for e in client.watch_events()] == [9]  # the slot is free
    assert client.circuit_breaker.state == CircuitState.CLOSED
    assert client.metrics().total.failures == 0  # stopping early is not a failure


async def test_break_from_a_bare_async_for_closes_when_the_iterator_goes(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    first = Body(tick(1), tick(2), then="hang")
    answers(router, "GET", sse(first), sse(Body(tick(9))))
    client = one_slot(make_client)
    async for _ in client.watch_events():
        break
    for _ in range(3):  # asyncio's async-generator hook closes it on the next loop turns
        await asyncio.sleep(0)
    assert first.closed
    assert [e.data.n async for e in client.watch_events()] == [9]


async def test_an_exception_in_the_loop_body_closes(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    first = Body(tick(1), then="hang")
    answers(router, "GET", sse(first), sse(Body(tick(9))))
    client = one_slot(make_client)
    with pytest.raises(KeyError):
        async with client.watch_events() as events:
            async for _ in events:
                raise KeyError("the caller's own bug")
    assert first.closed
    assert client.metrics().total.failures == 0  # the caller's error, not the service's
    assert [e.data.n async for e in client.watch_events()] == [9]


async def test_cancellation_closes_and_gives_the_breaker_no_verdict(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    first = Body(tick(1), then="hang")
    answers(router, "GET", sse(first), sse(Body(tick(9))))
    client = one_slot(make_client)
    got_one = asyncio.Event()

    async def reader() -> None:
        async for _ in client.watch_events():
            got_one.set()

    task = asyncio.create_task(reader())
    await got_one.wait()
    await asyncio.sleep(0)  # the reader now waits for the next event
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert first.closed
    stats = client.circuit_breaker.stats()
    assert (stats.failures, stats.successes) == (0, 0)  # cancellation: no verdict
    assert dict(client.metrics().operations["watch"].failures_by_kind) == {"cancelled": 1}
    assert [e.data.n async for e in client.watch_events()] == [9]


async def test_a_stream_is_iterated_once(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    answers(router, "GET", sse(Body(tick(1))))
    async with make_client().watch_events() as events:
        assert [e.data.n async for e in events] == [1]
        with pytest.raises(RuntimeError, match=r"closed|only once"):
            events.__aiter__()


# -- reconnecting --------------------------------------------------------------------


async def test_an_idempotent_stream_reconnects_with_last_event_id(
    router: respx.MockRouter, make_client: Callable[..., TickClient], sleeper: FakeSleep
) -> None:
    route = answers(
        router,
        "GET",
        sse(Body(tick(1, id="1"), tick(2, id="2", retry=1500), b'data: {"n": 99', then="reset")),
        sse(Body(tick(3, id="3"))),
    )
    client = make_client()
    async with client.watch_events(correlation_id="corr-1") as events:
        received = [(e.data.n, e.id) async for e in events]
    # the half-sent event 99 is discarded; the stream resumes after id 2
    assert received == [(1, "1"), (2, "2"), (3, "3")]
    first, second = (call.request for call in route.calls)
    assert "last-event-id" not in first.headers
    assert second.headers["last-event-id"] == "2"
    assert first.headers["x-correlation-id"] == second.headers["x-correlation-id"] == "corr-1"
    assert sleeper.delays == [1.5]  # the server's retry: 1500 ms
    assert events.reconnects == 1


async def test_the_generated_correlation_id_is_kept_across_reconnects(
    router: respx.MockRouter, make_client: Callable[..., TickClient], sleeper: FakeSleep
) -> None:
    route = answers(router, "GET", sse(Body(tick(1, id="x"), then="reset")), sse(Body(tick(2))))
    received = [e.data.n async for e in make_client().watch_events()]
    assert received == [1, 2]
    ids = {call.request.headers["x-correlation-id"] for call in route.calls}
    assert len(ids) == 1
    assert sleeper.delays == [3.0]  # no retry: from the server: reconnect_delay


async def test_the_servers_retry_is_bounded(
    router: respx.MockRouter, make_client: Callable[..., TickClient], sleeper: FakeSleep
) -> None:
    answers(router, "GET", sse(Body(tick(1, retry=3_600_000), then="reset")), sse(Body(tick(2))))
    config = EventStreamConfig(max_reconnect_delay=7.5)
    assert len([e async for e in make_client(event_stream=config).watch_events()]) == 2
    assert sleeper.delays == [7.5]


async def test_a_non_idempotent_stream_raises_instead_of_reconnecting(
    router: respx.MockRouter, make_client: Callable[..., TickClient], sleeper: FakeSleep
) -> None:
    route = answers(router, "POST", sse(Body(tick(1, id="1"), then="reset")), sse(Body(tick(2))))
    received: list[int] = []
    events = make_client().publish_events()
    with pytest.raises(StreamInterruptedError, match="broke off") as caught:
        async for event in events:
            received.append(event.data.n)
    assert received == [1] and route.call_count == 1 and sleeper.delays == []
    assert caught.value.operation == "publish"
    assert events.last_event_id == "1"  # the caller can resume by hand


async def test_a_spec_idempotent_post_reconnects(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    route = answers(router, "POST", sse(Body(tick(1, id="1"), then="reset")), sse(Body(tick(2))))
    received = [e.data.n async for e in make_client().publish_events(idempotent=True)]
    assert received == [1, 2]
    assert route.calls[1].request.headers["last-event-id"] == "1"
    first, second = (call.request for call in route.calls)
    assert second.content == first.content  # the same request again
    assert second.headers["idempotency-key"] == first.headers["idempotency-key"]


async def test_reconnects_in_a_row_without_an_event_are_bounded(
    router: respx.MockRouter, make_client: Callable[..., TickClient], sleeper: FakeSleep
) -> None:
    route = answers(
        router,
        "GET",
        sse(Body(tick(1), then="reset")),
        *[sse(Body(then="reset")) for _ in range(5)],
    )
    client = make_client(event_stream=EventStreamConfig(max_reconnects=2, reconnect_delay=0.5))
    with pytest.raises(StreamInterruptedError) as caught:
        async for _ in client.watch_events():
            pass
    assert route.call_count == 3  # the first connection and two reconnects
    assert sleeper.delays == [0.5, 0.5]
    assert any("gave up after 2 reconnects" in note for note in caught.value.__notes__)


async def test_an_event_resets_the_reconnect_count(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    # every connection delivers one event, then drops: the stream keeps going
    responses = [sse(Body(tick(n, id=str(n)), then="reset")) for n in range(6)]
    answers(router, "GET", *responses, sse(Body(tick(6))))
    client = make_client(event_stream=EventStreamConfig(max_reconnects=1))
    events = client.watch_events()
    assert [e.data.n async for e in events] == list(range(7))
    assert events.reconnects == 6


async def test_a_silent_connection_times_out_and_reconnects(
    router: respx.MockRouter, make_client: Callable[..., TickClient], clock: FakeClock
) -> None:
    # the server's pieces come 40 s apart on the fake clock: past the 30 s idle limit
    silent = Body(tick(1, id="1"), tick(2), clock=clock, gap=40)
    route = answers(router, "GET", sse(silent), sse(Body(tick(3))))
    received = [e.data.n async for e in make_client(stream_idle_timeout=30).watch_events()]
    assert received == [1, 3]
    assert route.calls[1].request.headers["last-event-id"] == "1"


async def test_a_reconnect_that_answers_an_error_raises_it(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    answers(
        router,
        "GET",
        sse(Body(tick(1), then="reset")),
        httpx.Response(404, json={"detail": "stream gone"}),
    )
    with pytest.raises(NotFoundError):
        async for _ in make_client().watch_events():
            pass


# -- the typed mocks answer event streams too ----------------------------------------


class MockTicks(MockClient):
    default_base_url: ClassVar[str | None] = BASE

    @property
    def watch(self) -> MockedOperation[str]:
        return self._mocked(WATCH)


async def test_mocks_answer_event_streams(make_client: Callable[..., TickClient]) -> None:
    with MockTicks() as mock:
        mock.watch.returns_events(
            Tick(n=1),
            ServerSentEvent("update", Tick(n=2), id="2", retry=100),
            '{"n": 3,\n"label": "two lines"}',
        )
        received = [(e.event, e.data, e.id) async for e in make_client().watch_events()]
    assert received == [
        ("message", Tick(n=1), None),
        ("update", Tick(n=2), "2"),
        ("message", Tick(n=3, label="two lines"), "2"),
    ]
    assert mock.watch.calls[0].headers["accept"] == "text/event-stream"


async def test_reconnects_refused_while_the_server_restarts_are_tried_again(
    router: respx.MockRouter, make_client: Callable[..., TickClient], sleeper: FakeSleep
) -> None:
    route = answers(
        router,
        "GET",
        sse(Body(tick(1, id="1"), then="reset")),
        httpx.ConnectError("connection refused"),
        httpx.Response(503),
        sse(Body(tick(2, id="2"))),
    )
    client = make_client(retry=RetryConfig(max_attempts=1))
    events = client.watch_events()
    assert [e.data.n async for e in events] == [1, 2]
    assert route.call_count == 4 and events.reconnects == 3
    assert sleeper.delays == [3.0, 3.0, 3.0]
    assert route.calls[3].request.headers["last-event-id"] == "1"


async def test_refused_reconnects_are_bounded_too(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    refused = [httpx.ConnectError("connection refused") for _ in range(5)]
    route = answers(router, "GET", sse(Body(tick(1), then="reset")), *refused)
    config = EventStreamConfig(max_reconnects=3)
    client = make_client(retry=RetryConfig(max_attempts=1), event_stream=config)
    with pytest.raises(TransportError):
        async for _ in client.watch_events():
            pass
    assert route.call_count == 4


async def test_the_servers_retry_outlives_the_connection_that_sent_it(
    router: respx.MockRouter, make_client: Callable[..., TickClient], sleeper: FakeSleep
) -> None:
    answers(
        router,
        "GET",
        sse(Body(tick(1, id="1", retry=250), then="reset")),
        sse(Body(tick(2, id="2"), then="reset")),  # says nothing about retry
        sse(Body(tick(3))),
    )
    assert [e.data.n async for e in make_client().watch_events()] == [1, 2, 3]
    assert sleeper.delays == [0.25, 0.25]


async def test_aclose_from_another_task_ends_the_iteration_at_its_next_read(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    gate = asyncio.Event()
    first = Body(tick(1), tick(2), then="hang", gate=gate)
    route = answers(router, "GET", sse(first), sse(Body(tick(3))))
    events = make_client().watch_events()
    received: list[int] = []
    got_one = asyncio.Event()

    async def reader() -> None:
        async for event in events:
            received.append(event.data.n)
            got_one.set()

    task = asyncio.create_task(reader())
    await got_one.wait()
    await asyncio.sleep(0)
    await events.aclose()
    gate.set()  # the reader's next read completes, after the close
    await asyncio.wait_for(task, 5)
    assert received == [1] and first.closed and route.call_count == 1


async def test_each_reconnect_is_logged(
    router: respx.MockRouter,
    make_client: Callable[..., TickClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers(router, "GET", sse(Body(tick(1, id="7"), then="reset")), sse(Body(tick(2))))
    with caplog.at_level(logging.INFO, logger="resilient_client"):
        assert len([e async for e in make_client().watch_events(correlation_id="c-9")]) == 2
    [record] = [r for r in caplog.records if "reconnect" in r.getMessage()]
    assert "watch: event stream reconnect 1 in 3s" in record.getMessage()
    assert (record.correlation_id, record.last_event_id) == ("c-9", "7")


async def test_a_long_stream_is_held_one_event_at_a_time(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    # 20 MB of events through a client whose max_response_bytes is 64 KiB: nothing
    # accumulates across events, so memory stays near one event's size
    class Lazy(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for n in range(5000):
                yield f"id: {n}\ndata: {n:04d}{'x' * 4000}\n\n".encode()
                # a socket read suspends, which lets the loop drop the cancelled idle
                # timers (a body that never suspends would pile them up until its end)
                await asyncio.sleep(0)

    router.get("/ticks").mock(
        return_value=httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=Lazy()
        )
    )
    client = make_client(max_response_bytes=64 * 1024)
    count, last = 0, ""
    tracemalloc.start()
    try:
        async for event in client.watch_text():
            count, last = count + 1, event.data[:4]
            if count == 100:  # the connection, the pool and the first events are set up
                settled, _ = tracemalloc.get_traced_memory()
                tracemalloc.reset_peak()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (count, last) == (5000, "4999")
    # the last 4,900 events (19.6 MB) added less than 16 events' worth at any moment
    assert peak - settled < 64 * 1024, f"{peak - settled} bytes more over 19.6 MB of events"


# -- an operation that answers only events: the plain method returns them -----------


async def test_the_plain_method_of_an_events_only_operation_returns_the_stream(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    body = Body(tick(1), tick(2))
    route = answers(router, "GET", sse(body), sse(Body(tick(3))))
    client = make_client()
    events = await client.watch()
    assert route.call_count == 1 and events.response is not None  # connected already
    assert events.response.status_code == 200
    assert [e.data.n async for e in events] == [1, 2] and body.closed
    async with await client.watch() as again:  # the cache is never consulted
        assert [e.data.n async for e in again] == [3]
    assert route.call_count == 2


async def test_the_plain_method_raises_the_status_error_when_awaited(
    router: respx.MockRouter, make_client: Callable[..., TickClient]
) -> None:
    answers(router, "GET", httpx.Response(404, json={"detail": "no such ticker"}))
    with pytest.raises(NotFoundError):
        await make_client().watch()
