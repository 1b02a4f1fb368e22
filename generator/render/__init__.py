"""Stage 4, render: the IR spelled as package files through Jinja2 templates.

``package.render_package`` is the entry point; ``client`` writes ``_client.py``'s
operations, ``security`` the auth helpers, ``models`` groups models into the private
submodules of ``models/``, and ``source`` spells IR values as safe Python source text.
``dist`` renders the ``--dist`` project around a package. Render reads only the IR:
every decision was made there.
"""
