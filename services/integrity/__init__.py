"""What the server trusts: the ledger, sealed revisions, trusted reads and the auditor that keeps them."""
