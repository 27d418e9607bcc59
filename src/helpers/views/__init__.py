"""What the notebooks show: charts, maps, timeline, narrative, the annotated reading."""
