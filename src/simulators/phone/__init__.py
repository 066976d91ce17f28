"""A phone simulator: plays a caller against the telephone service as a VoiceXML 2.1 platform would.

For development and tests only (docs/simulators.md). It fetches a document, says its prompts as text (and
optionally speaks them into WAV files with espeak-ng), takes keys for fields and menus, and follows
``<goto>``, ``<submit>`` and ``<choice>`` until ``<disconnect>`` or ``<exit>``. It knows the part of
VoiceXML 2.1 a DTMF-only service uses: ``menu``/``choice``, ``form`` with ``var``, ``block``, ``field`` of
the built-in ``digits`` type, ``prompt``, ``noinput``/``nomatch`` with ``reprompt``, ``goto``, ``submit``,
``disconnect``, ``exit``.
"""
