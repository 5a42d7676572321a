"""What the shop reads back: history, reports, roll-ups, dues, customers, exports, the printable invoice."""
