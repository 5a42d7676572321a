"""Running the platform: provisioning, the server probe, design-doc roll-out, backups, restore,
archive, cluster set-up, the dev servers."""
