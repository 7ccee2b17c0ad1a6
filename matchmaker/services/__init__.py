"""Use cases. Each takes a Session (and other dependencies) as arguments and is the only place
that commits; views and CLI commands call exactly one of them."""
