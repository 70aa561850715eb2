"""envfiles/: read the environment files labs already have (environment.yml, requirements,
`conda list --explicit`, specs) into an inventory of located entries; shared by `importer/`
and `lint/`."""
