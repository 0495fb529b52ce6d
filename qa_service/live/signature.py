"""HTTP message signatures of live-audio connections, as Genesys AudioHook sends them (the HMAC-SHA256
profile of the IETF HTTP Message Signatures draft the AudioHook protocol uses): the upgrade request
carries ``Signature-Input: sig1=("@request-target" "@authority" "audiohook-organization-id" ...);
keyid="<api key>";nonce="...";alg="hmac-sha256";created=...;expires=...`` and
``Signature: sig1=:<base64 HMAC>:``. The signature base is one line ``"<component>": <value>`` per
covered component, then ``"@signature-params": <the inner list and its parameters as sent>``; the
key is the client secret (base64) belonging to the API key in ``X-API-KEY``.

:func:`verify` raises :class:`~qa_service.errors.SignatureError` on any failure; :func:`sign` makes
the headers (the simulator and the tests use it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Mapping, Sequence

from qa_service.errors import SignatureError

#: The components AudioHook signs; a live connection's signature must cover all of them.
REQUIRED = ("@request-target", "@authority", "audiohook-organization-id", "audiohook-session-id",
            "audiohook-correlation-id", "x-api-key")
MAX_CLOCK_SKEW_S = 3
MAX_AGE_S = 300

_INPUT = re.compile(r'^\s*([a-z][a-z0-9_.*-]*)=\(([^)]*)\)((?:;[a-z][a-z0-9_.*-]*=(?:"[^"]*"|-?\d+))*)\s*$')
_PARAM = re.compile(r';([a-z][a-z0-9_.*-]*)=("[^"]*"|-?\d+)')
_SIG = re.compile(r'^\s*([a-z][a-z0-9_.*-]*)=:([A-Za-z0-9+/=]*):\s*$')


def _components(inner: str) -> list[str]:
    names = re.findall(r'"([^"]*)"', inner)
    if " ".join(f'"{n}"' for n in names) != inner.strip():
        raise SignatureError("Signature-Input: the covered components are not a list of strings")
    return names


def _value(name: str, headers: Mapping[str, str], target: str, authority: str) -> str:
    if name == "@request-target":
        return target
    if name == "@authority":
        return authority
    if name.startswith("@"):
        raise SignatureError(f"Signature-Input: component {name!r} is not supported")
    value = headers.get(name)
    if value is None:
        raise SignatureError(f"Signature-Input covers {name!r}, which the request does not carry")
    return value.strip()


def signature_base(components: Sequence[str], params: str, headers: Mapping[str, str], target: str,
                   authority: str) -> str:
    lines = [f'"{n}": {_value(n, headers, target, authority)}' for n in components]
    inner = " ".join(f'"{n}"' for n in components)
    lines.append(f'"@signature-params": ({inner}){params}')
    return "\n".join(lines)


def verify(headers: Mapping[str, str], *, target: str, authority: str, secrets_by_key: Mapping[str, str],
           now: float | None = None) -> str:
    """Check the request's API key and signature; the API key on success. ``headers``: lower-case names."""
    api_key = headers.get("x-api-key", "")
    if not api_key:
        raise SignatureError("no X-API-KEY header")
    secret = secrets_by_key.get(api_key)
    if secret is None:
        raise SignatureError("unknown API key")
    raw_input, raw_sig = headers.get("signature-input"), headers.get("signature")
    if not raw_input or not raw_sig:
        raise SignatureError("the request is not signed (Signature-Input and Signature headers)")
    m, s = _INPUT.match(raw_input), _SIG.match(raw_sig)
    if m is None:
        raise SignatureError("Signature-Input cannot be parsed")
    if s is None or s.group(1) != m.group(1):
        raise SignatureError("Signature cannot be parsed or does not match Signature-Input's label")
    components = _components(m.group(2))
    params = {k: v.strip('"') for k, v in _PARAM.findall(m.group(3))}
    missing = [c for c in REQUIRED if c not in components]
    if missing:
        raise SignatureError(f"the signature does not cover {', '.join(missing)}")
    if params.get("keyid") != api_key:
        raise SignatureError("the signature's keyid is not the API key")
    if params.get("alg", "hmac-sha256") != "hmac-sha256":
        raise SignatureError(f"signature algorithm {params.get('alg')!r} is not supported")
    clock = time.time() if now is None else now
    created = int(params["created"]) if "created" in params else None
    expires = int(params["expires"]) if "expires" in params else None
    if created is None:
        raise SignatureError("the signature has no 'created' time")
    if created > clock + MAX_CLOCK_SKEW_S or created + MAX_AGE_S < clock - MAX_CLOCK_SKEW_S:
        raise SignatureError("the signature was made too long ago or in the future")
    if expires is not None and expires < clock - MAX_CLOCK_SKEW_S:
        raise SignatureError("the signature has expired")
    base = signature_base(components, m.group(3), headers, target, authority)
    try:
        key = base64.b64decode(secret, validate=True)
        given = base64.b64decode(s.group(2), validate=True)
    except ValueError as exc:
        raise SignatureError("the signature or the configured secret is not base64") from exc
    if not hmac.compare_digest(hmac.new(key, base.encode(), hashlib.sha256).digest(), given):
        raise SignatureError("the signature does not match")
    return api_key


def sign(headers: Mapping[str, str], *, target: str, authority: str, api_key: str, secret: str,
         now: float | None = None, label: str = "sig1") -> dict[str, str]:
    """The Signature-Input and Signature headers for a request with ``headers`` (lower-case names,
    X-API-KEY among them)."""
    created = int(time.time() if now is None else now)
    params = (f';keyid="{api_key}";nonce="{secrets.token_urlsafe(16)}";alg="hmac-sha256";created={created};'
              f"expires={created + 60}")
    base = signature_base(REQUIRED, params, headers, target, authority)
    digest = hmac.new(base64.b64decode(secret), base.encode(), hashlib.sha256).digest()
    inner = " ".join(f'"{n}"' for n in REQUIRED)
    return {"signature-input": f"{label}=({inner}){params}",
            "signature": f"{label}=:{base64.b64encode(digest).decode()}:"}
