import json

import pytest


class QueuedBackend:
    """A fake model for unit tests of the logic around it: answers from a queue, records prompts.

    A draft (a call that may use saved example blocks) gets the answer the exact evaluation of the
    same prompt will get, the queue's next, without taking it; `prompts` records exact calls only."""

    name = "queued-fake"

    def __init__(self, *answers):
        self.answers = [a if isinstance(a, str) else json.dumps({"changes": a}) for a in answers]
        self.prompts = []
        self.drafts = []
        self.schemas = []
        self.cached_examples = []

    def complete(self, messages, schema, prefix="", examples=0, follow=None):
        self.cached_examples.append(examples)
        self.schemas.append(schema)
        if examples:
            self.drafts.append(messages)
            return self.answers[0]
        self.prompts.append(messages)
        return self.answers.pop(0)


@pytest.fixture
def fake():
    return QueuedBackend


@pytest.fixture(scope="session")
def real_backend():
    """The real embedded model, loaded once for the whole session."""
    from netcfg.model import get_backend

    return get_backend()
