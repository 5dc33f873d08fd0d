"""Per-comment, per-episode and per-person scores, and their calibration."""
