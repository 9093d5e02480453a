"""Pure code shared by every handler: event parsing, the release record, the ledger and the lock."""
