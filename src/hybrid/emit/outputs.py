"""Plan every output file of a lock result: one set per variant, in its own folder when several."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from hybrid.conda.cuda import build_glob
from hybrid.conda.requests import added_specs
from hybrid.emit.conda_lock_yml import render_conda_lock_yml
from hybrid.emit.environment_yml import render_environment_yml
from hybrid.emit.explicit import HashKind, render_explicit
from hybrid.emit.header import OUTPUTS_KEY, Header
from hybrid.emit.layout import (
    CONDA_LOCK_YML,
    ENVIRONMENT_YML,
    REQUIREMENTS_TXT,
    expected_files,
    explicit_filename,
)
from hybrid.emit.requirements_txt import merge_pins, render_requirements
from hybrid.pipeline import LockResult, VariantResult
from hybrid.pypi.artifacts import DEFAULT_INDEX
from hybrid.pypi.credentials import strip_credentials
from hybrid.pypi.layer import index_options
from hybrid.pypi.model import IndexOptions
from hybrid.spec.model import Spec


def variant_directory(result: LockResult, variant: VariantResult, out_dir: Path) -> Path:
    """A spec with a single variant writes straight into `out_dir`."""
    return out_dir if len(result.variants) == 1 else out_dir / variant.variant.name


def plan_outputs(result: LockResult, out_dir: Path, *, hash_kind: HashKind) -> dict[Path, str]:
    """{path: text} for every file `hybrid solve` writes."""
    files: dict[Path, str] = {}
    for variant in result.variants:
        files.update(
            _variant_files(result, variant, variant_directory(result, variant, out_dir), hash_kind)
        )
    return files


def _variant_files(
    result: LockResult, variant: VariantResult, directory: Path, hash_kind: HashKind
) -> Mapping[Path, str]:
    spec = result.spec
    extra = () if variant.variant.cuda is None else (("variant", variant.variant.name),)
    header = Header(
        spec_name=spec.path.name,
        input_hash=result.input_hash,
        source_sha256=spec.source_sha256,
        extra=extra,
    )
    files = {
        directory / explicit_filename(s.platform): render_explicit(s, header, hash_kind=hash_kind)
        for s in variant.solutions
    }
    first = variant.solutions[0]
    added = _added_everywhere(result, variant)
    pip_lines = [str(pin) for pin in merge_pins(variant.pip)] if variant.pip else []
    # environment.yml names the whole set, so `hybrid check` can verify it without the spec.
    manifest = ",".join(sorted(path.name for path in expected_files(spec, directory)))
    files[directory / ENVIRONMENT_YML] = render_environment_yml(
        spec,
        header.with_extra((OUTPUTS_KEY, manifest)),
        channels=first.request.channels,
        added=added,
        pip_lines=pip_lines,
        build=build_glob(variant.variant, spec.platforms),
    )
    if variant.pip:
        files[directory / REQUIREMENTS_TXT] = render_requirements(
            variant.pip, header=header.lines(), index=_with_pin_indexes(spec, variant)
        )
    files[directory / CONDA_LOCK_YML] = render_conda_lock_yml(
        variant.solutions,
        header,
        channels=first.request.channels,
        spec_file=spec.path.name,
        pip=variant.pip_artifacts,
    )
    return files


def _added_everywhere(result: LockResult, variant: VariantResult) -> list[str]:
    """hybrid's added specs, in first-seen order across the variant's platforms."""
    seen: dict[str, None] = {}
    for solution in variant.solutions:
        for text in added_specs(result.spec, solution.platform, variant.variant):
            seen.setdefault(text, None)
    return list(seen)


def _with_pin_indexes(spec: Spec, variant: VariantResult) -> IndexOptions:
    """The spec's index options plus any index a pin came from that they do not name (the
    PyTorch index of a CUDA variant), so `pip install -r` finds every pinned file."""
    index = index_options(spec)
    named = {index.index_url or DEFAULT_INDEX, *index.extra_index_urls}
    named = {strip_credentials(url).rstrip("/") for url in named}
    extra = sorted(
        {
            pin.index_url.rstrip("/")
            for layer in variant.pip
            for pin in layer.pins
            if pin.index_url and pin.index_url.rstrip("/") not in named
        }
    )
    return replace(index, extra_index_urls=(*index.extra_index_urls, *extra))
