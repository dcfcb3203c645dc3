"""Mining: cohesion and entropy scores, word discovery, and domain terms by contrast.

May import ``counting``, ``io`` and the shared modules.
"""
