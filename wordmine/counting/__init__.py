"""counting stage."""
