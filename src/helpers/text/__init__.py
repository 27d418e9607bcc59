"""The kit's words: dates written in text, and (later) how the kit writes them."""
