"""pipeline/: the orchestration that turns a spec into a lock (`pipeline.run`) and a lock into
written files (`pipeline.files`)."""
