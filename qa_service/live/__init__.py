"""Live listening-in: live call audio in (Genesys AudioHook, or a plain documented stream), per-channel
streaming transcription, live checks that raise alerts, and the recording handed to the batch
pipeline when the call ends. Protocol code here is pure (bytes and dataclasses in, the same out);
the WebSocket endpoints live in ``api/routes/live.py``."""
