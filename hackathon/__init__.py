"""The hackathon web app (Starlette)."""

__version__ = "0.1.0"
