"""``fault-server``: serve a fake service with faults set by flags and the control API."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from fault_server.app import DEFAULT_PORTS, SERVICES, create_app
from fault_server.faults import ALLOWED_FAULT_STATUSES, apply_startup_faults
from fault_server.tree import TreeError

EPILOG = """\
Faults can also be changed while running, through the control API (JSON):
  GET  /__faults__/stats          counters: requests, max_in_flight, correlation_ids,
                                  side_effects per Idempotency-Key, faults_injected
  POST /__faults__/fail-next      {"count": 3, "status": 503, "retry_after": 1, "route": "/health"}
  POST /__faults__/fail-for       {"seconds": 2.5, "status": 502}
  POST /__faults__/latency        {"seconds": 0.2, "route": "POST /api/v1/metadata-stamping/stamp"}
  POST /__faults__/reset-next     {"count": 1, "after_handler": false}
  POST /__faults__/truncate-next  {"count": 1}
  POST /__faults__/slow-body      {"chunk_delay": 0.05, "chunk_size": 16}
  POST /__faults__/reset          clear faults, counters and stored idempotent answers
  any rule body takes "probability" (0-1]: the random mode, e.g.
  POST /__faults__/reset-next     {"count": null, "after_handler": true, "probability": 0.025}
  docs: /__faults__/docs

Example:
  fault-server metadata-stamping --port 8053 --fail-next 2 --fail-status 429 --retry-after 1
  fault-server onextree --tree-root . --fail-rate 0.2 --reset-rate 0.05 --seed 7
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fault-server",
        description=(
            "Serve an in-memory fake of a service with injected faults "
            "(error statuses, latency, dropped connections, truncated or slow bodies)."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("service", choices=SERVICES, help="which service to fake")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="port (default 8053 metadata-stamping, 8058 onextree)",
    )
    parser.add_argument(
        "--fail-next", type=int, default=0, metavar="N", help="fail the next N requests"
    )
    parser.add_argument(
        "--fail-for",
        type=float,
        default=None,
        metavar="SECONDS",
        help="fail every request for SECONDS",
    )
    parser.add_argument(
        "--fail-status",
        type=int,
        default=503,
        choices=sorted(ALLOWED_FAULT_STATUSES),
        metavar="STATUS",
        help="status of injected failures (default 503; 429 pairs with --retry-after)",
    )
    parser.add_argument(
        "--retry-after",
        default=None,
        metavar="S",
        help="Retry-After value sent with failures (seconds or HTTP date)",
    )
    parser.add_argument(
        "--latency", type=float, default=None, metavar="S", help="add S seconds to every request"
    )
    parser.add_argument(
        "--reset-next",
        type=int,
        default=0,
        metavar="N",
        help="drop the connection of the next N requests",
    )
    parser.add_argument(
        "--truncate-next",
        type=int,
        default=0,
        metavar="N",
        help="cut the body of the next N responses short",
    )
    parser.add_argument(
        "--fail-rate",
        type=float,
        default=None,
        metavar="P",
        help="random mode: fail this share (0-1] of requests",
    )
    parser.add_argument(
        "--reset-rate",
        type=float,
        default=None,
        metavar="P",
        help="random mode: drop this share of connections",
    )
    parser.add_argument(
        "--latency-rate",
        type=float,
        default=None,
        metavar="P",
        help="apply --latency to this share of requests only",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed of the random mode, for repeatable runs"
    )
    parser.add_argument(
        "--max-concurrency",
        type=int,
        default=None,
        metavar="N",
        help="answer 503 beyond N requests in flight",
    )
    parser.add_argument(
        "--no-database",
        action="store_true",
        help="metadata-stamping: run as without its database (nothing stored, reads answer 503)",
    )
    parser.add_argument(
        "--tree-root",
        default=None,
        metavar="DIR",
        help="onextree: load this directory's tree at start",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        options: dict[str, Any] = {"database": False} if args.no_database else {}
        app = create_app(
            args.service,
            max_concurrency=args.max_concurrency,
            tree_root=args.tree_root,
            **options,
        )
        apply_startup_faults(
            app.state.faults,
            fail_next=args.fail_next,
            fail_for=args.fail_for,
            fail_status=args.fail_status,
            retry_after=args.retry_after,
            latency=args.latency,
            reset_next=args.reset_next,
            truncate_next=args.truncate_next,
            fail_rate=args.fail_rate,
            reset_rate=args.reset_rate,
            latency_rate=args.latency_rate,
            seed=args.seed,
        )
    except (ValueError, TreeError) as exc:
        print(f"fault-server: error: {exc}", file=sys.stderr)
        return 2
    import uvicorn  # imported late so --help works and errors above stay fast

    port = args.port if args.port is not None else DEFAULT_PORTS[args.service]
    uvicorn.run(
        app, host=args.host, port=port, log_level=args.log_level, lifespan="off", http="h11"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
