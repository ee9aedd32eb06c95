"""The tracker's pages, thin: each checks who may see it (actions.permissions), reads
through named queries and the reports, and writes through actions.services."""
