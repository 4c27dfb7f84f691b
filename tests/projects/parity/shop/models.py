"""Models live in the migrations only: the parity project exercises migration SQL."""
