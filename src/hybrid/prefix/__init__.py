"""prefix/: inspect an installed environment — where it lives, its interpreter, the Python
distributions in it, and whether it matches a requirements file. Shared by `install/` and
`doctor/`."""
