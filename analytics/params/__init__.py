"""URL parameters: the one table (`table`), its codecs, the one reader and writer (`query`), the pages (`pages`)."""
