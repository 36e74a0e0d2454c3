import json

import pytest


class QueuedBackend:
    """A fake model for unit tests of the logic around it: answers from a queue, records prompts."""

    name = "queued-fake"

    def __init__(self, *answers):
        self.answers = [a if isinstance(a, str) else json.dumps({"changes": a}) for a in answers]
        self.prompts = []
        self.schemas = []

    def complete(self, messages, schema, prefix=""):
        self.prompts.append(messages)
        self.schemas.append(schema)
        return self.answers.pop(0)


@pytest.fixture
def fake():
    return QueuedBackend


@pytest.fixture(scope="session")
def real_backend():
    """The real embedded model, loaded once for the whole session."""
    from netcfg.model import get_backend

    return get_backend()
