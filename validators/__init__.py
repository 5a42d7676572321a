"""Validation rules: JSON Schemas, the schema-to-Mango compiler and Python-side checks."""
