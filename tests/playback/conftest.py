from __future__ import annotations

import sys
from pathlib import Path

# write_wav / write_corrupt live with the service tests
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "services"))
