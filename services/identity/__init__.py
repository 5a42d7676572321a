"""Who may act: accounts, OTPs and SMS, the one device of an account, its CouchDB credentials, API keys, rate caps."""
