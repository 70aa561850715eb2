"""Plan every output file of a lock result: one set per variant, in its own folder when several."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hybrid.emit.conda_lock_yml import render_conda_lock_yml
from hybrid.emit.environment_yml import (
    platform_dependencies,
    render_environment_yml,
    shared_lines,
)
from hybrid.emit.explicit import render_explicit
from hybrid.emit.groups import categorized_packages, group_files
from hybrid.emit.header import (
    INPUTS_KEY,
    OUTPUTS_KEY,
    Header,
    format_inputs,
    seal,
    set_digest,
    unsealed_body_digest,
)
from hybrid.emit.layout import (
    CONDA_LOCK_YML,
    ENVIRONMENT_YML,
    REQUIREMENTS_TXT,
    environment_filename,
    expected_files,
    explicit_filename,
    pylock_filename,
    splits_environment,
)
from hybrid.emit.pylock_toml import CondaLayer, PylockGroup, render_pylock
from hybrid.emit.requirements_txt import merge_pins, render_requirements
from hybrid.lock.model import LockResult, VariantResult


def variant_directory(result: LockResult, variant: VariantResult, out_dir: Path) -> Path:
    """A spec with a single variant writes straight into `out_dir`."""
    return out_dir if len(result.variants) == 1 else out_dir / variant.variant.name


def plan_outputs(result: LockResult, out_dir: Path) -> dict[Path, str]:
    """{path: text} for every file `hybrid solve` writes, each sealed with its body digest and
    the digest of the whole set (every variant's files)."""
    files: dict[Path, str] = {}
    for variant in result.variants:
        files.update(_variant_files(result, variant, variant_directory(result, variant, out_dir)))
    digest = set_digest({path.relative_to(out_dir).as_posix(): t for path, t in files.items()})
    return {path: seal(text, set_sha256=digest) for path, text in files.items()}


def _variant_files(
    result: LockResult, variant: VariantResult, directory: Path
) -> Mapping[Path, str]:
    spec = result.spec
    extra = _variant_lines(variant)
    header = Header(
        spec_name=spec.path.name,
        input_hash=result.input_hash,
        source_sha256=spec.source_sha256,
        extra=extra,
    )
    files = {
        directory / explicit_filename(s.platform): render_explicit(
            s, header, hash_kind=result.hash_kind
        )
        for s in variant.solutions
    }
    # environment.yml names the whole set, so `hybrid check` can verify it without the spec,
    # and a digest of each input part, so `hybrid check` can name what changed.
    manifest = ",".join(sorted(path.name for path in expected_files(spec, directory)))
    inputs = format_inputs(result.input_parts)
    env_header = header.with_extra((OUTPUTS_KEY, manifest), (INPUTS_KEY, inputs))
    files.update(_environment_files(result, variant, directory, env_header))
    if variant.pip:
        files[directory / REQUIREMENTS_TXT] = render_requirements(
            variant.pip, header=header.lines(), index=variant.pip_index
        )
    files.update(group_files(variant, directory, header, hash_kind=result.hash_kind))
    files[directory / CONDA_LOCK_YML] = render_conda_lock_yml(
        variant.solutions,
        header,
        channels=variant.channels,
        spec_file=spec.path.name,
        pip=variant.pip_artifacts,
        categorized=categorized_packages(variant),
    )
    if variant.pip or any(group.pip for group in variant.groups):
        pylock = directory / pylock_filename(variant.variant)
        files[pylock] = _pylock(result, variant, files, header)
    return files


def _pylock(
    result: LockResult, variant: VariantResult, conda_files: Mapping[Path, str], header: Header
) -> str:
    """pylock.toml, naming the variant's conda lock files (explicit, conda-lock.yml) and
    their body digests."""
    names = {CONDA_LOCK_YML, *(explicit_filename(s.platform) for s in variant.solutions)}
    conda = CondaLayer(
        input_hash=result.input_hash,
        variant=variant.variant.name if variant.variant.cuda is not None else None,
        files={
            path.name: unsealed_body_digest(text)
            for path, text in conda_files.items()
            if path.name in names
        },
    )
    return render_pylock(
        variant.pip,
        variant.pip_artifacts,
        header=header.lines(),
        conda=conda,
        name=pylock_filename(variant.variant),
        groups=[PylockGroup(name=g.name, results=g.pip, artifacts=g.pip_artifacts)
                for g in variant.groups if g.pip],
    )


def _environment_files(
    result: LockResult, variant: VariantResult, directory: Path, header: Header
) -> dict[Path, str]:
    """environment.yml, plus a complete file per platform when platforms can differ."""
    spec = result.spec
    pip_lines = [str(pin) for pin in merge_pins(variant.pip)] if variant.pip else []
    per_platform = {
        solution.platform: platform_dependencies(
            spec,
            solution,
            variant.variant,
            solution.request.added,
        )
        for solution in variant.solutions
    }
    channels = variant.channels

    def render(dependencies: list[str], note: str | None) -> str:
        return render_environment_yml(
            spec,
            header,
            channels=channels,
            dependencies=dependencies,
            pip_lines=pip_lines,
            note=note,
        )

    if not splits_environment(spec):
        only = next(iter(per_platform.values()))
        return {directory / ENVIRONMENT_YML: render([line.text for line in only], None)}
    files = {
        directory / ENVIRONMENT_YML: render(
            shared_lines(list(per_platform.values())),
            "the lines every platform shares; environment-<platform>.yml is each "
            "platform's complete file (conda reads no selectors)",
        )
    }
    for platform, dependencies in per_platform.items():
        files[directory / environment_filename(platform)] = render(
            [line.text for line in dependencies], f"the complete file for {platform}"
        )
    return files


def _variant_lines(variant: VariantResult) -> tuple[tuple[str, str], ...]:
    """Header lines naming the variant and its declared floors (`doctor --gpu` reads them)."""
    if variant.variant.cuda is None:
        return ()
    floors = (("cuda-driver", variant.variant.driver), ("cuda-arch", variant.variant.arch))
    return (("variant", variant.variant.name), *((k, v) for k, v in floors if v is not None))
