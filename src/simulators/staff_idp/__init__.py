"""The authority's staff identity provider for development: OpenID Connect (authorization code flow with PKCE),
signed ID tokens (RS256, joserfc), JWKS, userinfo, and a page to log in as one of a few made-up staff members.

For development and tests only (decision 0131); production connects the authority's own IdP
(docs/console.md).
"""
