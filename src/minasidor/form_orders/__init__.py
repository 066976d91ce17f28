"""Ordering a paper form (blankett) by post on Mina sidor: the back office's catalogue, one question (decision 0203)."""
