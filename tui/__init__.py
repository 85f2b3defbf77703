"""The cpaasx dashboard (Textual) and the `cpaasx` command line."""
