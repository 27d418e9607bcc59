"""Loading and checking the dataset: schemas, checks, exports, boundary downloads."""
