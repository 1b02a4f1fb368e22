"""Stage 5, format: rendered Python laid out exactly as black would leave it.

``files.lay_out_files`` is the entry point; ``layout`` splits long statements the way
black does (``tokens`` reads a line for it) and only what it cannot prove goes to
black itself.
"""
