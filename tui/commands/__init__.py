"""The `cpaasx` subcommands, one module per group; each has `register(subparsers)`."""
