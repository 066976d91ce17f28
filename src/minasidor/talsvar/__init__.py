"""Talsvar: the telephone self-service as VoiceXML 2.1 documents for a telephony platform (decision 0141)."""
