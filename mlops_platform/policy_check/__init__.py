"""The offline policy check: evaluate plan files through the pack's Analyzer, as the engine does."""
