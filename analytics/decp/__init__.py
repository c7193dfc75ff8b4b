"""Subsequent contracts (marchés subséquents) read from French public procurement data (DECP)."""
