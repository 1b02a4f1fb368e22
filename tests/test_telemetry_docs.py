"""docs/telemetry: the Grafana dashboard and the alert rules query only what
resilient_client.prometheus exports, with labels those metrics carry.

A structural check (no promtool or Grafana needed); developers with promtool also run
``promtool test rules docs/telemetry/prometheus-alerts.test.yaml``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from resilient_client.prometheus import METRIC_NAMES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "telemetry"
DASHBOARD = DOCS / "grafana-dashboard.json"
ALERTS = DOCS / "prometheus-alerts.yaml"

#: The sample names a scrape holds: histograms add _bucket, _count and _sum.
HISTOGRAMS = {"http_client_request_duration_seconds"}
SAMPLE_NAMES = set(METRIC_NAMES) | {
    f"{name}{suffix}" for name in HISTOGRAMS for suffix in ("_bucket", "_count", "_sum")
}
LABELS = {"service", "operation", "method", "status", "outcome", "state", "le"}
KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right",
    "and", "or", "unless", "bool", "offset",
}  # fmt: skip

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{([^{}]*)\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_MATCHER = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)")
_LABEL_VALUES = re.compile(r"^label_values\((\w+),\s*(\w+)\)$")
_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def metric_names(expr: str) -> set[str]:
    """The metric names an expression selects: identifiers left once strings, label
    matchers, ranges, grouping label lists, function calls and keywords are taken out."""
    text = _STRING.sub('""', expr)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _GROUPING.sub(" ", text)
    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*\s*\(", "(", text)  # function names
    return {word for word in _IDENT.findall(text) if word not in KEYWORDS}


def label_names(expr: str) -> set[str]:
    text = _STRING.sub('""', expr)
    names: set[str] = set()
    for matchers in _MATCHERS.findall(text):
        for matcher in matchers.split(","):
            name = _MATCHER.match(matcher)
            assert name is not None, f"not a label matcher: {matcher!r}"
            names.add(name.group(1))
    for grouping in _GROUPING.findall(text):
        names.update(n.strip() for n in grouping.split(",") if n.strip())
    return names


def test_the_extractor_finds_names_and_ignores_functions_labels_and_strings() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, service) (rate(foo_bucket{a="x{y}",b=~"$s"}'
        "[$__rate_interval]))) / on (service) group_left max(bar) > 2 and baz"
    )
    assert metric_names(expr) == {"foo_bucket", "bar", "baz"}
    assert label_names(expr) == {"le", "service", "a", "b"}


def _dashboard_exprs() -> list[tuple[str, str]]:
    dashboard: dict[str, Any] = json.loads(DASHBOARD.read_text())
    found = [
        (panel["title"], target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]
    for variable in dashboard["templating"]["list"]:
        # Grafana's label_values(metric, label): the metric as a selector, label grouped.
        query = _LABEL_VALUES.match(variable.get("definition", ""))
        if query is not None:
            found.append((variable["name"], f"group by ({query[2]}) ({query[1]})"))
    return found


def _alert_rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(ALERTS.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_the_dashboard_is_grafana_json_with_unique_panel_ids() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["title"] and dashboard["uid"] and dashboard["schemaVersion"] >= 36
    assert ("service", "group by (service) (http_client_calls_total)") in _dashboard_exprs()
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["type"] in {"timeseries", "state-timeline", "gauge", "stat"}
        assert panel["targets"], panel["title"]
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"])


@pytest.mark.parametrize(
    ("where", "exprs"),
    [
        ("dashboard", _dashboard_exprs()),
        ("alerts", [(rule["alert"], rule["expr"]) for rule in _alert_rules()]),
    ],
)
def test_every_expression_uses_only_exported_metrics_and_their_labels(
    where: str, exprs: list[tuple[str, str]]
) -> None:
    assert exprs
    for title, expr in exprs:
        names = metric_names(expr)
        assert names, f"{where}: {title!r} selects no metric"
        unknown = names - SAMPLE_NAMES
        assert not unknown, f"{where}: {title!r} uses {sorted(unknown)}, not exported"
        extra = label_names(expr) - LABELS
        assert not extra, f"{where}: {title!r} uses labels {sorted(extra)} no metric carries"


def test_the_dashboard_shows_every_exported_metric() -> None:
    used = set().union(*(metric_names(expr) for _, expr in _dashboard_exprs()))
    shown = {name for name in METRIC_NAMES if name in used or f"{name}_bucket" in used}
    assert shown == set(METRIC_NAMES)


def test_the_alert_rules_cover_breaker_open_error_rate_and_retry_storms() -> None:
    rules = {rule["alert"]: rule for rule in _alert_rules()}
    assert {
        "HttpClientCircuitBreakerOpen",
        "HttpClientHighErrorRate",
        "HttpClientRetryStorm",
    } <= set(rules)
    for name, rule in rules.items():
        assert rule["labels"]["severity"] in {"critical", "warning"}, name
        assert rule["annotations"]["summary"], name
        assert re.fullmatch(r"\d+[smh]", str(rule.get("for", "0s"))), name
    assert "http_client_circuit_breaker_state" in metric_names(
        rules["HttpClientCircuitBreakerOpen"]["expr"]
    )
    assert "== 2" in rules["HttpClientCircuitBreakerOpen"]["expr"]  # 2 is open


def test_the_readme_snippets_turn_each_adapter_on() -> None:
    """The README's two-line snippets run as written and attach the adapter."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Telemetry", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 2
    from metadata_stamping_client import MetadataStampingClient

    from resilient_client import ClientConfig
    from resilient_client.otel import OpenTelemetryEvents
    from resilient_client.prometheus import PrometheusMetrics

    for block, adapter in zip(blocks, (OpenTelemetryEvents, PrometheusMetrics), strict=True):
        assert len(block.strip().splitlines()) == 2
        namespace: dict[str, Any] = {
            "MetadataStampingClient": MetadataStampingClient,
            "ClientConfig": ClientConfig,
        }
        exec(block, namespace)
        client = namespace["client"]
        assert isinstance(client, MetadataStampingClient)
        assert [type(sink) for sink in client.config.events] == [adapter]
