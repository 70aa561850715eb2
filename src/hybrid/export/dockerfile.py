"""A Dockerfile from a container recipe (see `container.py` for what it does and why)."""

from __future__ import annotations

from hybrid.export.container import ENV_PREFIX, ContainerRecipe

DOCKERFILE = "Dockerfile"


def render_dockerfile(recipe: ContainerRecipe) -> str:
    """The Dockerfile text: comment, FROM, then one COPY and one RUN per layer, the checks,
    and the environment on PATH. Build it from the directory it is written to."""
    lines = [*(f"# {line}" for line in recipe.comment), f"FROM {recipe.base_image}", "",
             "# root, to create the environment outside the base image's own prefix",
             "USER root", "", "# conda layer: the explicit file, every package with its hash",
             f"COPY {recipe.explicit.source} {recipe.explicit.target}",
             f"RUN {recipe.conda_command()}"]
    for index, step in enumerate(recipe.pip_steps):
        note = step.note()
        lines += ["", "# pip layer, last: exact pins with hashes, no dependency resolution"
                  if index == 0 else "# the dependency group's pip pins, after the base's",
                  *([f"# {note}"] if note else []),
                  f"COPY {step.copy.source} {step.copy.target}",
                  f"RUN {step.command(recipe.python)}"]
    checks = recipe.check_commands()
    if checks:
        lines += ["", "# checks: every dependency met, and the top-level packages import",
                  "RUN " + " \\\n && ".join(checks)]
    lines += ["", f"ENV PATH={ENV_PREFIX}/bin:$PATH"]
    return "\n".join(lines) + "\n"
