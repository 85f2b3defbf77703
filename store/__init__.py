"""The cpaasx model: tables, rules, routing, simulation and setup files. No Textual here."""
