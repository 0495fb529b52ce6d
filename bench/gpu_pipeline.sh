#!/usr/bin/env bash
# bench/pipeline.py on a GPU worker with larger models (same calls, same table, device cuda).
#
#   QA_ASR_MODEL_EN=/models/whisper-large-v3-ct2 bench/gpu_pipeline.sh [bench/pipeline.py options]
#
# QA_ASR_MODEL_EN / QA_ASR_MODEL_MULTILINGUAL: local CTranslate2 Whisper dirs (e.g. large-v3, or
# distil-large-v3 for English); the multilingual one defaults to the English one. The venv needs the
# CUDA builds of torch and ctranslate2 (see README). Optional: QA_COMPUTE_TYPE (float16),
# QA_ASR_BEAM_SIZE (5), QA_ASR_BATCH_SIZE (16), PER_LANGUAGE (5 calls per language), THREADS (nproc),
# PYTHON (.venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
: "${QA_ASR_MODEL_EN:?set QA_ASR_MODEL_EN to a local CTranslate2 Whisper directory (e.g. large-v3)}"
export QA_ASR_MODEL_EN
export QA_ASR_MODEL_MULTILINGUAL=${QA_ASR_MODEL_MULTILINGUAL:-$QA_ASR_MODEL_EN}
export QA_DEVICE=cuda
export QA_COMPUTE_TYPE=${QA_COMPUTE_TYPE:-float16}
export QA_ASR_BEAM_SIZE=${QA_ASR_BEAM_SIZE:-5}
export QA_ASR_BATCH_SIZE=${QA_ASR_BATCH_SIZE:-16}

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$PY" - <<'PY'
import ctranslate2, torch
assert ctranslate2.get_cuda_device_count() > 0, "ctranslate2 sees no CUDA device (CPU build installed?)"
assert torch.cuda.is_available(), "torch sees no CUDA device (CPU build installed?)"
print("torch", torch.__version__, "ctranslate2", ctranslate2.__version__, torch.cuda.get_device_name(0))
PY
"$PY" sample_audio/generate.py  # a no-op when the sample audio is up to date
exec "$PY" bench/pipeline.py --device cuda --threads "${THREADS:-$(nproc)}" \
  --per-language "${PER_LANGUAGE:-5}" "$@"
