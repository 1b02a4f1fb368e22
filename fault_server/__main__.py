"""``python -m fault_server`` works like the ``fault-server`` console script."""

from fault_server.cli import main

raise SystemExit(main())
