"""`mlops release` and `mlops drill`: promote, roll back and question the ledger from a terminal.

Pure modules: `naming` (what a stack's workflow and tables are called, execution names),
`times`, `metrics`, `lookup`, `render`. Modules that talk to AWS: `clients`, `commands`,
`drill`. `cli` registers the subcommands; `mlops_platform.cli` imports it lazily.
"""
