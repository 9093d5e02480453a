"""The offline preview: run a stack's real program under the mock runtime and write its plan."""
