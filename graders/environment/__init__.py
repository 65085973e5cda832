"""The kernel environment: the Python packages student notebooks may import (issue 17)."""
