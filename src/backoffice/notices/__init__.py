"""Notices (aviseringar): telling a citizen, by e-mail or text message as they chose, that something waits for
them on Mina sidor — through an outbox written with the event, sent by a background task (decision 0112)."""
