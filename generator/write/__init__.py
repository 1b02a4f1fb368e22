"""Stage 6, write or check: a rendered package on disk, or its drift from what is there.

``package.write_package`` swaps a package into place atomically and ``package.check``
compares in memory; ``manifest`` remembers what a run produced so an unchanged
``--check`` only hashes the files on disk.
"""
