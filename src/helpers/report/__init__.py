"""The report build: execute the notebooks and write HTML reports (``python -m helpers.report``)."""
