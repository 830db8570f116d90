"""One module per `archive` subcommand; each exposes `register(subparsers)`."""
