"""glossary stage."""
