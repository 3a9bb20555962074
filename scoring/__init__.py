"""Scoring library for hackathon juries: read jury sheets, normalise, aggregate, rank, explain.

A pure library (pandas, numpy, scipy, matplotlib); it never imports the web app.
"""

__version__ = "0.1.0"
