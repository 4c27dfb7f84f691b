"""Output formats that are not part of the core reporting (``output``): GitLab Code Quality."""
