"""lock/: the typed result of a solve (`lock.model`), which carries everything a writer
needs, and what is reported about it (`lock.summary`)."""
