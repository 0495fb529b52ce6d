"""The speech pipeline: decode → transcribe → diarize (mono) or split channels (stereo) → align → roles.

``transcribe_call(decode_audio(path), metadata, load_speech_models(settings),
SpeechOptions.from_settings(settings, metadata))`` is the whole of it.
"""

from qa_service.pipeline.decode import decode_audio
from qa_service.pipeline.models import SpeechModels, load_speech_models
from qa_service.pipeline.speech import SpeechOptions, SpeechResult, analyze_speech, transcribe_call

__all__ = [
    "SpeechModels",
    "SpeechOptions",
    "SpeechResult",
    "analyze_speech",
    "decode_audio",
    "load_speech_models",
    "transcribe_call",
]
