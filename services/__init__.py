"""The thin Python services: accounts, devices, history and the integrity auditor."""
