"""doc stage."""
