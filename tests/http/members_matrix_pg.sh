#!/usr/bin/env bash
# The members matrix (members_matrix.sh) with the library in PostgreSQL:
# every node of a cluster withholds the paid part exactly as a library
# folder's server does (issue 17). Skipped where PostgreSQL is not installed.
SUCAI_STORE=pg exec bash "$(dirname "$0")/members_matrix.sh"
