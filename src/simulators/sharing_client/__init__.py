"""A demo third party of consented sharing (an adviser's system): OAuth 2.0 authorization code with PKCE,
DPoP-bound tokens, and reads of the portal's sharing API. For development and tests only; it uses no portal
code (the simulator contract), only the protocols."""
