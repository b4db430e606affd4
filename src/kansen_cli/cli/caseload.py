"""The coach's command: `kansen caseload`."""
