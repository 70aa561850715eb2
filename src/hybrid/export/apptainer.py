"""An Apptainer definition file from a container recipe (see `container.py`), for clusters
that run Apptainer (formerly Singularity) instead of Docker: the same base image, lock files
and steps; the checks are its `%test` section, which `apptainer build` runs at the end."""

from __future__ import annotations

from hybrid.export.container import ENV_PREFIX, ContainerRecipe

APPTAINER_DEF = "hybrid.def"


def render_apptainer(recipe: ContainerRecipe) -> str:
    """The `.def` text. Build it from the directory it is written to (`%files` paths are
    relative to it): `apptainer build env.sif hybrid.def`."""
    copies = [recipe.explicit, *(step.copy for step in recipe.pip_steps)]
    post = ["export MAMBA_ROOT_PREFIX=/opt/conda", recipe.conda_command()]
    for step in recipe.pip_steps:
        note = step.note()
        post += [*([f"# {note}"] if note else []), step.command(recipe.python)]
    sections = [
        [*(f"# {line}" for line in recipe.comment), "Bootstrap: docker",
         f"From: {recipe.base_image}"],
        ["%labels", f"    hybrid.variant {recipe.variant}",
         f"    hybrid.platform {recipe.platform}"],
        ["%files", *(f"    {c.source} {c.target}" for c in copies)],
        ["%post", "    set -e", *(f"    {command}" for command in post)],
        ["%environment", f"    export PATH={ENV_PREFIX}/bin:$PATH"],
        ["%runscript", f'    exec {recipe.python} "$@"'],
    ]
    checks = recipe.check_commands()
    if checks:
        sections.append(["%test", "    set -e", *(f"    {command}" for command in checks)])
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
