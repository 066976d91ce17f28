"""The simulated VoiceXML platform and its caller (see the package's docstring)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
from lxml import etree

VXML = "http://www.w3.org/2001/vxml"
NS = {"v": VXML}
MAX_FETCHES = 100
MAX_TRIES = 3
_DIGITS = re.compile(r"^digits(?:\?(.*))?$")


class CallError(Exception):
    """The call could not go on: a fetch failed, or a document is not what a platform could run."""


class OutOfKeys(Exception):  # noqa: N818 — the scripted caller has nothing more to press
    """A scripted caller has no more keys to press."""


def _text(element: etree._Element) -> str:
    return " ".join("".join(str(part) for part in element.itertext()).split())


def _accepts(field_type: str, keys: str) -> bool:
    """Whether ``keys`` match a built-in ``digits`` grammar (``length``, ``minlength``, ``maxlength``)."""
    match = _DIGITS.match(field_type or "digits")
    if match is None:
        raise CallError(f"the simulator knows only the built-in digits type, not {field_type!r}")
    if not keys.isdigit():
        return False
    params = dict(part.split("=", 1) for part in (match.group(1) or "").split(";") if "=" in part)
    if "length" in params:
        return len(keys) == int(params["length"])
    return int(params.get("minlength", 1)) <= len(keys) <= int(params.get("maxlength", 1_000))


@dataclasses.dataclass
class Speaker:
    """Says prompts: printed as text, and with ``wav_dir`` spoken into numbered WAV files by espeak-ng."""

    out: Callable[[str], None] = print
    wav_dir: Path | None = None
    voice: str = "sv"
    spoken: int = 0

    def say(self, text: str, language: str) -> None:
        self.out(f"  <{language}> {text}")
        if self.wav_dir is None:
            return
        espeak = shutil.which("espeak-ng")
        if espeak is None:
            self.out("  (espeak-ng is not installed: text only)")
            self.wav_dir = None
            return
        self.wav_dir.mkdir(parents=True, exist_ok=True)
        self.spoken += 1
        target = self.wav_dir / f"prompt-{self.spoken:03d}.wav"
        voice = "en-gb" if language.startswith("en") else "sv"
        subprocess.run([espeak, "-v", voice, "-w", str(target), text], check=False)  # noqa: S603


@dataclasses.dataclass
class PhoneCall:
    """One call from ``start_url``; ``keys`` gives what the caller presses (one entry per field or menu)."""

    client: httpx.Client
    start_url: str
    token: str
    keys: Callable[[str], str]
    speaker: Speaker = dataclasses.field(default_factory=Speaker)
    transcript: list[str] = dataclasses.field(default_factory=list)

    def _fetch(self, url: str, method: str = "GET", data: dict[str, str] | None = None) -> tuple[str, etree._Element]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/voicexml+xml"}
        try:
            response = self.client.request(method, url, headers=headers, data=data)
        except httpx.HTTPError as error:
            raise CallError(f"error.badfetch: {error}") from error
        if "voicexml" not in response.headers.get("content-type", ""):
            raise CallError(f"error.badfetch: {response.status_code} {response.headers.get('content-type')}")
        root = etree.fromstring(response.content)  # the service we test, over our own connection
        if root.tag != f"{{{VXML}}}vxml" or root.get("version") != "2.1":
            raise CallError("not a VoiceXML 2.1 document")
        return str(response.url), root

    def _say(self, element: etree._Element, language: str) -> None:
        for prompt in element.findall("v:prompt", NS):
            text = _text(prompt)
            if text:
                self.transcript.append(text)
                self.speaker.say(text, prompt.get("{http://www.w3.org/XML/1998/namespace}lang") or language)

    def run(self) -> list[str]:
        """Play the call to its end; returns everything the service said, in order."""
        url, root = self._fetch(self.start_url)
        for _ in range(MAX_FETCHES):
            language = root.get("{http://www.w3.org/XML/1998/namespace}lang", "")
            dialog = root.find("v:menu", NS)
            if dialog is None:
                dialog = root.find("v:form", NS)
            if dialog is None:
                raise CallError("the document has no form or menu")
            step = self._menu(dialog, language) if dialog.tag == f"{{{VXML}}}menu" else self._form(dialog, language)
            if step is None:
                return self.transcript
            method, target, data = step
            url, root = self._fetch(urljoin(url, target), method, data)
        raise CallError("the call went on for too long")

    def _ask(self, element: etree._Element, language: str, accepts: Callable[[str], bool], what: str) -> str | None:
        self._say(element, language)
        for _ in range(MAX_TRIES):
            try:
                keys = self.keys(what).strip().rstrip("#")
            except OutOfKeys:
                return None
            if accepts(keys):
                return keys
            handler = element.find("v:nomatch" if keys else "v:noinput", NS)
            if handler is not None:
                self._say(handler, language)
                if handler.find("v:reprompt", NS) is not None:
                    self._say(element, language)
        return None

    def _menu(self, menu: etree._Element, language: str) -> tuple[str, str, None] | None:
        choices = {choice.get("dtmf"): choice.get("next") for choice in menu.findall("v:choice", NS)}
        key = self._ask(menu, language, lambda keys: keys in choices, "menu")
        return None if key is None else ("GET", str(choices[key]), None)

    def _form(self, form: etree._Element, language: str) -> tuple[str, str, dict[str, str] | None] | None:
        values: dict[str, str] = {}
        for item in form:
            tag = etree.QName(item).localname if isinstance(item.tag, str) else ""
            if tag == "var":
                values[item.get("name", "")] = (item.get("expr") or "''").strip("'\"")
            elif tag == "field":
                field_type = str(item.get("type", "digits"))

                def accepts(keys: str, field_type: str = field_type) -> bool:
                    return _accepts(field_type, keys)

                keys = self._ask(item, language, accepts, str(item.get("name", "field")))
                if keys is None:
                    return None
                values[item.get("name", "")] = keys
            elif tag == "block":
                step = self._block(item, language, values)
                if step != "next":
                    return step  # type: ignore[return-value]
        return None

    def _block(self, block: etree._Element, language: str, values: dict[str, str]) -> object:
        for item in block:
            tag = etree.QName(item).localname if isinstance(item.tag, str) else ""
            if tag == "prompt":
                text = _text(item)
                self.transcript.append(text)
                self.speaker.say(text, language)
            elif tag == "goto":
                return ("GET", item.get("next", ""), None)
            elif tag == "submit":
                names = (item.get("namelist") or "").split()
                data = {name: values.get(name, "") for name in names}
                method = (item.get("method") or "get").upper()
                if method == "GET":
                    return ("GET", item.get("next", "") + "?" + httpx.QueryParams(data).__str__(), None)
                return ("POST", item.get("next", ""), data)
            elif tag in {"disconnect", "exit"}:
                return None
        return "next"


def scripted(keys: list[str]) -> Callable[[str], str]:
    """A caller who presses ``keys`` in turn (one entry per field or menu), then hangs up."""
    remaining: Iterator[str] = iter(keys)

    def press(_what: str) -> str:
        try:
            return next(remaining)
        except StopIteration:
            raise OutOfKeys from None

    return press


def interactive(what: str) -> str:
    """A caller at the terminal: the keys for ``what`` (a field's name, or ``menu``), Enter for none."""
    try:
        return input(f"[keys for {what}, then Enter] ")
    except EOFError:
        raise OutOfKeys from None
