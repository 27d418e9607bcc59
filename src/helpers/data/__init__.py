"""Loading and checking the dataset: schemas, provenance, exports, boundary downloads."""
