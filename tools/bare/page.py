"""The constant page both ceilings return: 30 KB of fixed HTML, like one of our articles."""

PARAGRAPH = "<p>" + "x" * 96 + "</p>"

PAGE = (
    "<!DOCTYPE html><html lang=fr><title>Plafond</title><body>" + PARAGRAPH * 296 + "</body></html>"
).encode()
