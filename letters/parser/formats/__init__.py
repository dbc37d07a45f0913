"""Document formats: each has `detect(document) -> bool` (except the fallback) and `parse`."""
