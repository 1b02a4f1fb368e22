"""Part of stage 1 (load): the bounds a spec is parsed within, shared by the JSON and the
YAML parser (``parse``, ``parse_yaml``)."""

MAX_DEPTH = 200
# Expanded node count (aliases counted at every use). GitHub's 3.6 MB description has
# well under a million nodes; a billion-laughs document has billions.
MAX_EXPANDED_NODES = 5_000_000
MAX_REPAIRS = 1000
# libyaml's scanner is quadratic in flow-collection depth (20,000 nested "[" take tens
# of seconds), so absurd bracket nesting is refused before parsing (``parse_yaml``). The
# limit is far above MAX_DEPTH, which is still enforced exactly after composing.
MAX_FLOW_PRESCAN = 1000
