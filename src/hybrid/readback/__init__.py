"""readback/: read hybrid's own outputs back — `check` (stale or not, without solving),
`diff` (what changed between two output sets), the previous lock that `update` keeps, and the
parsers of explicit files and requirements.txt that `install` and `doctor` use. Imported only
by the commands that need them; nothing here imports a solver."""
