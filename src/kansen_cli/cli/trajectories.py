"""The coordinator's trajectory commands: `kansen assign` and `kansen inview`."""
