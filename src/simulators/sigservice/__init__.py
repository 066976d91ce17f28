"""A test signature service of the Swedish eID framework (DSS extension profile): test-only keys and CA."""
