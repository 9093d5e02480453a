"""The offline policy check: the findings the pack would give the engine, on plan files."""
