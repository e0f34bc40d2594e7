"""lockgate: a production gateway and readiness review for GenAI workloads."""

__version__ = "0.1.0"
