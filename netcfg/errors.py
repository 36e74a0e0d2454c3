"""Domain errors. The CLI turns each into one clean line on stderr and exit code 1."""


class NetcfgError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class IntentError(NetcfgError):
    """The intent text or a value in it is invalid (empty, out of range, malformed)."""


class UnplacedError(IntentError):
    """Parts of the request (`things`: values as written) that no change uses: netcfg asks or refuses,
    never guesses."""

    def __init__(self, message: str, things: list[str], changes: list | None = None):
        super().__init__(message)
        self.things, self.changes = things, changes or []


class UnsupportedError(NetcfgError):
    """The intent asks for something netcfg, or this vendor, does not support."""


class ModelError(NetcfgError):
    """The model is missing, corrupt, or its answer could not be grounded in the intent (then
    `changes` is that answer and `problems` what is wrong with it)."""

    changes: list = []
    problems: list = []


class ConfigError(NetcfgError):
    """A running config, candidate, dataset or inventory file is malformed."""


class DeviceError(NetcfgError):
    """A device could not be reached, refused a login, or rejected a change (`line`: the rejected line)."""

    def __init__(self, message: str, line: str | None = None):
        super().__init__(message)
        self.line = line
