"""An OpenAI-compatible model server as netcfg's model: llama.cpp's server, vLLM, Ollama, or any other that
answers `POST /v1/chat/completions` with output constrained to a JSON schema.

Only the way an answer is produced changes: the typed intent is asked for with the schema netcfg
decodes under in-process, and grounding, validation and rendering stay as they are. The API key is read
from $NETCFG_API_KEY and never printed; every failure is a one-line ModelError."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable

from .errors import ConfigError, ModelError

# Two spellings of "answer JSON matching this schema": OpenAI's (vLLM, llama.cpp's server, Ollama), and
# the older one llama-cpp-python's server takes. The first that the server accepts is kept.
_FORMATS: tuple[Callable[[dict], dict], ...] = (
    lambda schema: {"type": "json_schema", "json_schema": {"name": "netcfg_changes", "strict": True, "schema": schema}},
    lambda schema: {"type": "json_object", "schema": schema},
)


def server_url(url: str) -> str:
    """The API base of a server URL ("http://gpu1:8000" -> "http://gpu1:8000/v1"); a ConfigError for
    anything that is not an http(s) URL."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"--backend {url!r} is not a model server URL (like http://127.0.0.1:8000/v1)")
    path = parts.path.rstrip("/") or "/v1"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class ServerBackend:
    """A Backend that asks an OpenAI-compatible server, greedily (temperature 0), one request per answer.

    `draft` makes no difference here: the server keeps its own prompt cache. Safe to call from several
    threads at once (each call is one HTTP request)."""

    def __init__(self, url: str, model: str | None = None, api_key: str | None = None, timeout: float = 120.0):
        self.url = server_url(url)
        self.timeout = timeout
        self._key = api_key if api_key is not None else os.environ.get("NETCFG_API_KEY") or None
        self._model = model or os.environ.get("NETCFG_BACKEND_MODEL") or None
        self._format: int | None = None  # index into _FORMATS, once the server accepted one
        self.name = self.url

    @property
    def model(self) -> str:
        """The served model asked: $NETCFG_BACKEND_MODEL, else the first one the server lists."""
        if self._model is None:
            listed = self._request("GET", "/models").get("data")
            ids = [m.get("id") for m in listed if isinstance(m, dict)] if isinstance(listed, list) else []
            if not ids or not isinstance(ids[0], str):
                raise ModelError(f"the model server at {self.url} lists no model; set NETCFG_BACKEND_MODEL")
            self._model = ids[0]
            self.name = f"{self._model} at {self.url}"
        return self._model

    @property
    def identity(self) -> str:
        """What the parse cache files this backend's answers under: the server and the model it serves."""
        return hashlib.sha256(f"{self.url}\0{self.model}".encode()).hexdigest()

    def complete(
        self,
        messages: list[dict],
        schema: dict,
        prefix: str = "",
        follow: Callable[[str], str] | None = None,
        draft: bool = False,
        max_tokens: int = 400,
    ) -> str:
        """The server's answer, constrained to `schema`. `prefix` and `follow` only speed up in-process
        decoding (the schema forces that text anyway), so they are not sent."""
        body = {
            "model": self.model,
            "messages": [{"role": m["role"], "content": _plain(m["content"])} for m in messages],
            "temperature": 0,
            "top_p": 1,
            "seed": 0,
            "max_tokens": max_tokens,
        }
        order = [self._format] if self._format is not None else range(len(_FORMATS))
        for i in order:
            try:
                reply = self._request("POST", "/chat/completions", {**body, "response_format": _FORMATS[i](schema)})
            except _Refused:
                continue
            self._format = i
            return _content(reply, self.url)
        raise ModelError(f"the model server at {self.url} takes no JSON-schema response_format (OpenAI's json_schema)")

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            return self._send(req, body)
        except ModelError as e:  # a server that echoes the request must not show the key
            if self._key and self._key in str(e):
                raise ModelError(str(e).replace(self._key, "****")) from None
            raise

    def _send(self, req: urllib.request.Request, body: dict | None) -> dict:
        where = f"the model server at {self.url}"
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            detail = _error_text(e)
            if e.code in (400, 422, 500) and body is not None and "response_format" in body and _about_format(detail):
                raise _Refused() from None
            if e.code in (401, 403):
                raise ModelError(f"{where} refused the request (HTTP {e.code}): check NETCFG_API_KEY") from None
            raise ModelError(f"{where} answered HTTP {e.code}{': ' + detail if detail else ''}") from None
        except (socket.timeout, TimeoutError):
            raise ModelError(f"{where} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as e:
            reason = e.reason.strerror if isinstance(e.reason, OSError) and e.reason.strerror else e.reason
            raise ModelError(f"cannot reach {where}: {reason}") from None
        except OSError as e:  # a connection reset half-way
            raise ModelError(f"{where} broke off the connection: {e.strerror or e}") from None
        try:
            reply = json.loads(raw)
        except ValueError:
            raise ModelError(f"{where} answered something that is not JSON: {raw[:80]!r}") from None
        if not isinstance(reply, dict):
            raise ModelError(f"{where} answered JSON that is not an object")
        return reply


class _Refused(Exception):
    """The server does not take this spelling of response_format."""


def _plain(text: str) -> str:
    """A message with no text a server could read as a chat-template control token (`<|im_end|>`): it
    tokenizes the whole prompt, so such text in a request would end the message early."""
    return text.replace("<|", "< |").replace("|>", "| >")


def _content(reply: dict, url: str) -> str:
    try:
        choice = reply["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ModelError(f"the model server at {url} answered something that is not a chat completion") from None
    if not isinstance(content, str) or not content.strip():
        raise ModelError(f"the model server at {url} gave an empty answer")
    if choice.get("finish_reason") == "length":
        raise ModelError(f"the model server at {url} cut the answer off at its token limit")
    return content.strip()


def _error_text(e: urllib.error.HTTPError) -> str:
    """The server's own error message, on one short line."""
    try:
        raw = e.read()[:2000].decode("utf-8", "replace")
    except OSError:
        return ""
    try:
        data = json.loads(raw)
        err = data.get("error", data) if isinstance(data, dict) else data
        text = err.get("message") or err.get("detail") if isinstance(err, dict) else err
        text = json.dumps(text) if not isinstance(text, str) else text
    except ValueError:
        text = raw
    return " ".join(str(text).split())[:200]


def _about_format(detail: str) -> bool:
    return any(w in detail.lower() for w in ("response_format", "json_schema", "json_object", "literal_error"))
