"""Powers of attorney (fullmakter) on Mina sidor: granting, ending, and acting for someone (decision 0180)."""
