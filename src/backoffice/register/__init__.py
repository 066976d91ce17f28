"""The pension register (pensionsregistret): the people the authority keeps pension records for."""
