"""The parts of the new repository's README that depend on the spec: how to create the
environment on each platform, the variants, the status of the lock files, the file table."""

from __future__ import annotations

from collections.abc import Sequence

from hybrid.emit.layout import (
    CONDA_LOCK_YML,
    ENVIRONMENT_YML,
    REQUIREMENTS_TXT,
    environment_filename,
    explicit_filename,
    pylock_filename,
    splits_environment,
)
from hybrid.platforms import CUDA_PLATFORMS, platform_facts
from hybrid.spec.model import Spec
from hybrid.spec.variants import Variant, spec_variants


def variant_prefix(spec: Spec, variant: Variant) -> str:
    """Where a variant's files are, relative to the spec: a folder when there are several."""
    return "" if len(spec_variants(spec)) == 1 else f"{variant.name}/"


def variant_for(spec: Spec, platform: str) -> Variant:
    """The variant the README's commands use on `platform`: CUDA where CUDA exists, else CPU."""
    variants = spec_variants(spec)
    cuda = [v for v in variants if v.cuda_version is not None]
    cpu = [v for v in variants if v.cuda_version is None]
    if platform in CUDA_PLATFORMS and cuda:
        return cuda[0]
    return cpu[0] if cpu else variants[0]


def install_commands(spec: Spec, platform: str) -> tuple[str, str]:
    """The two commands that create the environment on `platform`."""
    prefix = variant_prefix(spec, variant_for(spec, platform))
    create = f"conda create -n {spec.name} --file {prefix}{explicit_filename(platform)}"
    if spec.pip:
        second = (
            f"conda run -n {spec.name} python -m pip install --no-deps --require-hashes "
            f"-r {prefix}{REQUIREMENTS_TXT}"
        )
    else:
        second = f"conda activate {spec.name}"
    return create, second


def install_section(spec: Spec) -> str:
    blocks = []
    for platform in spec.platforms:
        label = platform_facts(platform).label
        commands = "\n".join(install_commands(spec, platform))
        blocks.append(f"### {label}\n\n```console\n{commands}\n```\n")
    return "\n".join(blocks)


def variants_section(spec: Spec) -> str:
    variants = spec_variants(spec)
    if len(variants) == 1:
        return ""
    lines = [
        f"The environment comes in {len(variants)} variants, each in its own folder:",
        "",
        *(f"- `{v.name}/`: {_variant_text(v)}" for v in variants),
        "",
    ]
    cuda = [v for v in variants if v.cuda_version is not None]
    if cuda and any(v.cuda_version is None for v in variants):
        lines.append(
            f"The commands below use `{cuda[0].name}/` where CUDA exists; on a machine "
            "without an NVIDIA GPU, use the same commands with the `cpu/` files."
        )
    if cuda and any(p not in CUDA_PLATFORMS for p in spec.platforms):
        lines.append("macOS has no CUDA: there every variant holds CPU builds.")
    return "\n".join(lines) + "\n"


def _variant_text(variant: Variant) -> str:
    if variant.cuda_version is None:
        return "CPU builds only"
    return (
        f"CUDA {variant.cuda_version} builds for NVIDIA GPUs (the machine needs only an "
        f"NVIDIA driver supporting CUDA {variant.cuda_version}; the CUDA libraries are "
        "conda packages)"
    )


def status_section(unsolved: str | None) -> str:
    """Nothing when the lock files were written; else how to write them."""
    if unsolved is None:
        return ""
    return (
        f"> **The lock files are not generated yet**: {unsolved}.\n"
        "> Run `hybrid solve spec.yaml` where the conda channels (and, for a pip layer, the\n"
        "> package index) are reachable, commit the files it writes, then delete this note.\n"
        "> Until then `hybrid check spec.yaml` fails, in CI and in the pre-commit hook.\n"
    )


def files_table(spec: Spec) -> str:
    rows = [("spec.yaml", "what the environment holds: edit this")]
    for variant in spec_variants(spec):
        rows.extend(_variant_rows(spec, variant))
    rows.extend(
        [
            (".github/workflows/hybrid-check.yml", "CI: fails when the lock files are stale"),
            (".pre-commit-config.yaml", "the same check before every commit"),
            (".gitignore", "files git leaves out"),
        ]
    )
    return "\n".join(f"| `{path}` | {what} |" for path, what in rows)


def _variant_rows(spec: Spec, variant: Variant) -> Sequence[tuple[str, str]]:
    prefix = variant_prefix(spec, variant)
    rows = [
        (
            f"{prefix}{explicit_filename(p)}",
            f"the exact conda layer for {p}, with hashes",
        )
        for p in spec.platforms
    ]
    if spec.pip:
        rows.append(
            (f"{prefix}{REQUIREMENTS_TXT}", "the exact pip layer, with hashes (all platforms)")
        )
        rows.append((
            f"{prefix}{pylock_filename(variant)}",
            "the same pip layer as a PEP 751 lock: `uv pip install --no-deps -r`, "
            "never `uv pip sync` (it would remove the conda layer)",
        ))
    if splits_environment(spec):
        rows.append((f"{prefix}{ENVIRONMENT_YML}", "the specs every platform shares (not exact)"))
        rows.extend(
            (
                f"{prefix}{environment_filename(p)}",
                f"the specs for `conda env create` on {p} (not exact)",
            )
            for p in spec.platforms
        )
    else:
        rows.append((f"{prefix}{ENVIRONMENT_YML}", "the specs for `conda env create` (not exact)"))
    rows.append(
        (
            f"{prefix}{CONDA_LOCK_YML}",
            "the unified lock of every platform, for `conda-lock install` / `micromamba create -f`",
        )
    )
    return rows
