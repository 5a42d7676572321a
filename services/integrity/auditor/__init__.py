"""The integrity auditor: a worker that checks every synced document for what a VDU cannot."""
