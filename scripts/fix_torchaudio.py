"""Make torchaudio importable next to a CPU-only torch (run by ``make setup``; idempotent).

PyPI's torchaudio 2.11 wheels link CUDA libraries (``libc10_cuda.so``) even though torch 2.13 is
installed as its CPU build, so ``import torchaudio`` fails. torchaudio treats missing native
libraries as a supported deployment (its pex mode) and falls back to its pure-Python code, which
covers all pyannote.audio uses (``compliance.kaldi.fbank``, ``functional.resample``). So, only when
torch has no CUDA and the import fails for a missing CUDA library, this removes torchaudio's native
``lib/*.so`` files. With a CUDA build of torch (GPU workers) nothing is touched.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path


def _torchaudio_import_error() -> str:
    proc = subprocess.run(
        [sys.executable, "-c", "import torchaudio"], capture_output=True, text=True, check=False
    )
    return "" if proc.returncode == 0 else proc.stderr


def main() -> int:
    spec = importlib.util.find_spec("torchaudio")
    if spec is None or not spec.submodule_search_locations:
        sys.stderr.write("torchaudio is not installed; nothing to fix\n")
        return 0
    error = _torchaudio_import_error()
    if not error:
        sys.stderr.write("torchaudio imports cleanly; nothing to fix\n")
        return 0
    if "cuda" not in error.lower():
        sys.stderr.write(f"torchaudio fails to import for another reason:\n{error}\n")
        return 1
    lib_dir = Path(spec.submodule_search_locations[0]) / "lib"
    removed = sorted(lib_dir.glob("*.so"))
    for path in removed:
        path.unlink()
    sys.stderr.write(
        "torchaudio: removed CUDA-linked native libraries "
        f"({', '.join(p.name for p in removed)}); using its pure-Python code\n"
    )
    error = _torchaudio_import_error()
    if error:
        sys.stderr.write(f"torchaudio still fails to import:\n{error}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
