"""A faithful in-memory fake of the OnexTree service (the 6 routes of its export)."""

from __future__ import annotations

import time
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel

from fault_server import tree as treelib
from fault_server.envelope import envelope
from fault_server.state import SERVICE_SCOPE_KEY

VERSION = "1.0.0"
NO_TREE = "No tree loaded. Call POST /generate first."


class IntelligenceRequest(BaseModel):
    context: str
    include_patterns: bool = True
    include_relationships: bool = True


class GenerateTreeRequest(BaseModel):
    project_root: str


class QueryRequest(BaseModel):
    query: str
    query_type: str = "auto"
    limit: int = 100


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 4)


def _tree_state(request: Request) -> treelib.TreeState:
    state: treelib.TreeState = request.scope[SERVICE_SCOPE_KEY]
    return state


State = Annotated[treelib.TreeState, Depends(_tree_state)]


@cache
def onextree_app() -> FastAPI:
    """The app, built once per process; each server passes its ``TreeState`` in the scope."""
    app = FastAPI(
        title="OnexTree Service",
        description="Fake of the OnexTree service (fault-server)",
        version=VERSION,
    )

    @app.get("/")
    def root(state: State) -> dict[str, Any]:
        data = {
            "service": "OnexTree",
            "version": VERSION,
            "status": "ready" if state.tree is not None else "no_tree_loaded",
            "endpoints": {
                "health": "GET /health",
                "intelligence": "POST /intelligence",
                "generate": "POST /generate",
                "query": "POST /query",
                "stats": "GET /stats",
            },
        }
        return envelope(data)

    @app.get("/health")
    def health(state: State) -> dict[str, Any]:
        tree = state.tree
        return {
            "status": "healthy",
            "tree_loaded": tree is not None,
            "total_files": len(tree.files) if tree is not None else 0,
        }

    @app.post("/intelligence")
    def get_intelligence(request: IntelligenceRequest, state: State) -> dict[str, Any]:
        data = treelib.intelligence(
            state.tree, request.context, request.include_patterns, request.include_relationships
        )
        return envelope(data)

    @app.post("/generate")
    def generate_tree(request: GenerateTreeRequest, state: State) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            tree = state.generate(request.project_root)
        except treelib.TreeError as exc:
            # The service answers a bad path with a plain-string detail, not an envelope.
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        data = {
            "success": True,
            "total_files": len(tree.files),
            "total_directories": tree.total_directories,
            "total_size_mb": tree.total_size_mb,
            "generation_time_ms": _elapsed_ms(started),
        }
        return envelope(data, message=f"Tree generated for {request.project_root}")

    @app.post("/query")
    def query_files(request: QueryRequest, state: State) -> dict[str, Any]:
        started = time.perf_counter()
        tree = state.tree
        if tree is None:
            raise HTTPException(status_code=400, detail=NO_TREE)
        try:
            resolved = treelib.resolve_query_type(request.query, request.query_type)
        except treelib.TreeError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        results = treelib.query(tree, request.query, resolved, request.limit)
        data = {
            "success": True,
            "query": request.query,
            "query_type": resolved,
            "results": [e.to_dict() for e in results],
            "count": len(results),
            "execution_time_ms": _elapsed_ms(started),
        }
        return envelope(data)

    @app.get("/stats")
    def get_stats(state: State) -> dict[str, Any]:
        tree = state.tree
        if tree is None:
            return envelope({"tree_loaded": False})
        return envelope({"tree_loaded": True, "statistics": tree.statistics()})

    return app
