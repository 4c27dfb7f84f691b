"""The Django side: everything that needs a configured Django (setup, migration loading, the
offline connection and schema editor, rendering SQL per operation, operation facts, the constraint
catalogue, read-only database reads). Runs in the project's interpreter; imports nothing above it
(engine, pipeline, front doors) and never pygls, lsprotocol or tomlkit."""
