"""Properties of what the portal shows, checked over the synthetic population and the demo persons."""
