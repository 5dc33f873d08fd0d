"""Comment text pipeline: normalisation (prose vs signals), lexicons, features, readability."""
