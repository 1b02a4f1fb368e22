"""Fault-injection test server with faithful fakes of MetadataStampingService and OnexTree.

Installed with the ``testserver`` extra; started with ``fault-server metadata-stamping``
(or ``onextree``). Tests use :mod:`fault_server.testing`. This package must not import
``resilient_client`` or generated clients: it is the thing they are tested against.
"""

from fault_server.app import SERVICES, FaultServerApp, create_app
from fault_server.faults import Decision, FaultKind, FaultRule, FaultState, RouteMatcher
from fault_server.state import ServerState
from fault_server.stats import RequestRecord, Stats

__all__ = [
    "SERVICES",
    "Decision",
    "FaultKind",
    "FaultRule",
    "FaultServerApp",
    "FaultState",
    "RequestRecord",
    "RouteMatcher",
    "ServerState",
    "Stats",
    "create_app",
]
