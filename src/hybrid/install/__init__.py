"""install/: create an environment from hybrid's outputs, conda layer first, pip layer last.

`plan_install` picks one variant's files for this machine's platform (and refuses stale
ones); `install_environment` installs the conda layer with py-rattler from the explicit file
(every archive verified against its lock hash first), then the pip layer with uv or pip
(`--no-deps --require-hashes`), then checks the result (`pip check`, imports).
"""

from hybrid.conda.explicit import ExplicitEntry
from hybrid.errors import (
    CondaInstallError,
    ExplicitFileError,
    IntegrityError,
    PipInstallError,
    VerificationError,
)
from hybrid.install.conda_layer import CondaLayerReport
from hybrid.install.environment import InstallOptions, InstallReport, install_environment
from hybrid.install.pip_layer import DEFAULT_INSTALLER, INSTALLERS
from hybrid.install.plan import InstallPlan, plan_install
from hybrid.prefix.paths import ENVS_DIR_ENV, current_platform, envs_dir, named_prefix
from hybrid.prefix.verify import VerifyReport
from hybrid.readback.explicit import ExplicitFile, read_explicit

__all__ = [
    "DEFAULT_INSTALLER",
    "ENVS_DIR_ENV",
    "INSTALLERS",
    "CondaInstallError",
    "CondaLayerReport",
    "ExplicitEntry",
    "ExplicitFile",
    "ExplicitFileError",
    "InstallOptions",
    "InstallPlan",
    "InstallReport",
    "IntegrityError",
    "PipInstallError",
    "VerificationError",
    "VerifyReport",
    "current_platform",
    "envs_dir",
    "install_environment",
    "named_prefix",
    "plan_install",
    "read_explicit",
]
