"""Every use netcfg makes of llama-cpp-python beyond its public `Llama` calls, in one place.

netcfg keeps prompt states on disk, moves saved example blocks into place in a two-sequence cache and
decodes greedily under a grammar one token at a time. llama-cpp-python 0.3.x has no public API for
these, so they use its private attributes (`Llama._ctx`, `_model`, `n_tokens`, `input_ids`,
`LlamaGrammar._grammar`) and its raw C bindings. `missing_internals()` lists what of that the installed
version lacks; a test asserts it is empty, so an upgrade that moves them fails loudly there.
"""

from __future__ import annotations

import ctypes
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_SPARE = 1  # the sequence saved blocks are loaded into before they join the prompt's sequence 0
# llama.cpp's CPU flash attention is slower than its plain attention behind netcfg's ~2,500 tokens of
# instructions (2 cores: a 64-token request 680 ms with it, 470 ms without; a decoded token 33 vs 28 ms).
# Without it the numbers differ in their last bits. Measured both ways on 4 dev sets (issue 13): FRR and
# IOS single-change, and route-map, the same answers case for case; of 57 multi-change cases, one
# refusal became exact and two exact answers became refusals; no answer became silently wrong
FLASH_ATTENTION = False

_ATTRIBUTES = ("_ctx", "_model", "n_tokens", "input_ids", "_n_vocab", "context_params")
_FUNCTIONS = (
    "llama_state_load_file",
    "llama_state_save_file",
    "llama_memory_seq_cp",
    "llama_memory_seq_rm",
    "llama_memory_seq_add",
    "llama_state_seq_get_size",
    "llama_state_seq_get_data",
    "llama_state_seq_set_data",
    "llama_get_logits_ith",
    "llama_sampler_init_grammar",
    "llama_sampler_apply",
    "llama_sampler_accept",
    "llama_sampler_free",
    "llama_vocab_is_eog",
    "llama_token_data",
    "llama_token_data_array",
    "llama_token",
)


@contextmanager
def model_params(settings: dict) -> Iterator[None]:
    """Within the block, llama_model_default_params() (where Llama() and llama_cpp.server take the model
    parameters from, with no argument for these) returns its defaults with `settings` applied."""
    import llama_cpp.llama_cpp as lib

    default = lib.llama_model_default_params

    def params():
        p = default()
        for k, v in settings.items():
            setattr(p, k, v)
        return p

    lib.llama_model_default_params = params
    try:
        yield
    finally:
        lib.llama_model_default_params = default


def load_llama(settings: dict, **kwargs):
    """llama_cpp.Llama(**kwargs) with `settings` applied to the model parameters (model_params)."""
    from llama_cpp import Llama

    with model_params(settings):
        return Llama(**kwargs)


def missing_internals(llm=None) -> list[str]:
    """The private parts of llama-cpp-python this module uses that the installed version lacks (with a
    loaded `Llama`, its attributes too)."""
    import llama_cpp
    from llama_cpp import LlamaGrammar, _internals

    missing = [f"llama_cpp.{f}" for f in _FUNCTIONS if not hasattr(llama_cpp, f)]
    missing += (
        []
        if hasattr(llama_cpp.llama_cpp, "llama_model_default_params")
        else ["llama_cpp.llama_cpp.llama_model_default_params"]
    )
    missing += [f"_internals.{c}" for c in ("LlamaContext",) if not hasattr(_internals, c)]
    grammar = LlamaGrammar.from_string('root ::= "a"', verbose=False)
    missing += [f"LlamaGrammar.{a}" for a in ("_grammar", "_root") if not hasattr(grammar, a)]
    if llm is not None:
        missing += [f"Llama.{a}" for a in _ATTRIBUTES if not hasattr(llm, a)]
        missing += [f"Llama._ctx.{a}" for a in ("ctx", "memory") if not hasattr(llm._ctx, a)]
        missing += [f"Llama._model.{a}" for a in ("vocab", "token_get_text") if not hasattr(llm._model, a)]
    return missing


class LlamaModel:
    """A loaded GGUF whose KV cache holds two sequences, with the operations netcfg needs on it."""

    def __init__(self, llm):
        self.llm = llm

    @classmethod
    def load(cls, settings: dict, path: Path, n_ctx: int, threads: int) -> "LlamaModel":
        """The model loaded with `settings` (load_llama) and a second sequence in one shared cache,
        so that saved example blocks can be loaded and moved into place; Llama() offers no parameter for
        it, so its context is replaced."""
        from llama_cpp import _internals

        llm = load_llama(
            settings,
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=threads,
            n_batch=512,
            flash_attn=FLASH_ATTENTION,
            verbose=False,
            seed=0,
        )
        params = llm.context_params
        params.n_seq_max, params.kv_unified = 2, True
        single, llm._ctx = llm._ctx, _internals.LlamaContext(model=llm._model, params=params, verbose=False)
        single.close()
        return cls(llm)

    def close(self) -> None:
        self.llm.close()

    # text and tokens

    @property
    def chat_template(self) -> str | None:
        return self.llm.metadata.get("tokenizer.chat_template")

    def special_text(self) -> tuple[str, str]:
        """The model's end and start of sequence tokens as text ("" where it has none)."""
        text, eos, bos = self.llm._model.token_get_text, self.llm.token_eos(), self.llm.token_bos()
        return (text(eos) if eos != -1 else ""), (text(bos) if bos != -1 else "")

    def tokenize(self, text: str, add_bos: bool = True, special: bool = True) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=special)

    def detokenize(self, tokens: list[int]) -> str:
        return self.llm.detokenize(tokens).decode("utf-8", "replace")

    # what the cache holds: sequence 0 is the prompt being answered

    @property
    def n_tokens(self) -> int:
        return self.llm.n_tokens

    def evaluated(self, n: int | None = None) -> list[int]:
        """The first `n` tokens evaluated into the cache (all of them by default)."""
        return self.llm.input_ids[: self.llm.n_tokens if n is None else min(n, self.llm.n_tokens)].tolist()

    def truncate(self, n: int) -> None:
        """Keep the cache's first `n` tokens; what follows is evaluated again."""
        self.llm.n_tokens = n

    def eval(self, tokens: list[int]) -> None:
        """Evaluate `tokens` after the cache's tokens."""
        self.llm.eval(tokens)

    def save_state(self, path: Path, tokens: list[int]) -> bool:
        """Save the whole cache (which holds `tokens`) to a file."""
        import llama_cpp

        return bool(
            llama_cpp.llama_state_save_file(
                self.llm._ctx.ctx, str(path).encode(), (llama_cpp.llama_token * len(tokens))(*tokens), len(tokens)
            )
        )

    def load_state(self, path: Path, n_ctx: int) -> list[int] | None:
        """Load a saved cache; its tokens, or None when it does not load."""
        import llama_cpp

        buf = (llama_cpp.llama_token * n_ctx)()
        count = ctypes.c_size_t(0)
        if not llama_cpp.llama_state_load_file(self.llm._ctx.ctx, str(path).encode(), buf, n_ctx, ctypes.byref(count)):
            return None
        tokens = list(buf[: count.value])
        self.llm.input_ids[: len(tokens)] = tokens
        self.llm.n_tokens = len(tokens)
        return tokens

    def block_state(self, start: int, tokens: list[int]) -> bytes:
        """Evaluate `tokens` after the cache's first `start` tokens and return their KV cells alone (the
        cache is left holding the first `start`)."""
        import llama_cpp

        llm = self.llm
        llm.n_tokens = start
        llm.eval(tokens)
        mem, ctx = llm._ctx.memory, llm._ctx.ctx
        llama_cpp.llama_memory_seq_cp(mem, 0, _SPARE, start, start + len(tokens))
        size = llama_cpp.llama_state_seq_get_size(ctx, _SPARE)
        buf = (ctypes.c_uint8 * size)()
        got = llama_cpp.llama_state_seq_get_data(ctx, buf, size, _SPARE)
        llama_cpp.llama_memory_seq_rm(mem, _SPARE, -1, -1)
        llm.n_tokens = start
        return bytes(buf[:got])

    def place_blocks(self, start: int, blocks: list[list[int]], states: list[bytes]) -> int | None:
        """Put saved blocks' KV cells (`block_state`, each made right after the first `start` tokens)
        one after another from `start`, each moved to its place. Returns the index of a block whose
        state does not load (the cache is then left at `start`), else None."""
        import llama_cpp

        llm = self.llm
        mem, ctx = llm._ctx.memory, llm._ctx.ctx
        llama_cpp.llama_memory_seq_rm(mem, 0, start, -1)
        pos = start
        for i, (block, state) in enumerate(zip(blocks, states)):
            buf = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
            if llama_cpp.llama_state_seq_set_data(ctx, buf, len(state), _SPARE) != len(state):
                llama_cpp.llama_memory_seq_rm(mem, _SPARE, -1, -1)
                llama_cpp.llama_memory_seq_rm(mem, 0, start, -1)
                llm.n_tokens = start
                return i
            if pos != start:
                llama_cpp.llama_memory_seq_add(mem, _SPARE, start, start + len(block), pos - start)
            llama_cpp.llama_memory_seq_cp(mem, _SPARE, 0, -1, -1)
            llama_cpp.llama_memory_seq_rm(mem, _SPARE, -1, -1)
            llm.input_ids[pos : pos + len(block)] = block
            pos += len(block)
        llm.n_tokens = pos
        return None

    # decoding

    def grammar_sampler(self, grammar) -> "GrammarSampler":
        """A sampler that holds the state of a LlamaGrammar as tokens are accepted."""
        import llama_cpp

        return GrammarSampler(
            self,
            llama_cpp.llama_sampler_init_grammar(
                self.llm._model.vocab, grammar._grammar.encode(), grammar._root.encode()
            ),
        )

    def is_end(self, token: int) -> bool:
        import llama_cpp

        return bool(llama_cpp.llama_vocab_is_eog(self.llm._model.vocab, token))

    def logits(self):
        """The last evaluated position's logits, as a numpy view."""
        import llama_cpp
        import numpy as np

        return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.llm._ctx.ctx, -1), shape=(self.llm._n_vocab,))


class GrammarSampler:
    """A llama.cpp grammar sampler: which tokens the grammar allows next, and the tokens taken."""

    def __init__(self, model: LlamaModel, sampler):
        self.model, self.sampler = model, sampler

    def __enter__(self) -> "GrammarSampler":
        return self

    def __exit__(self, *exc) -> None:
        import llama_cpp

        llama_cpp.llama_sampler_free(self.sampler)

    def allows(self, token: int) -> bool:
        import llama_cpp

        one = (llama_cpp.llama_token_data * 1)(llama_cpp.llama_token_data(token, 0.0, 0.0))
        arr = llama_cpp.llama_token_data_array(data=one, size=1, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(self.sampler, ctypes.byref(arr))
        return one[0].logit == 0.0

    def accept(self, token: int) -> None:
        import llama_cpp

        llama_cpp.llama_sampler_accept(self.sampler, token)

    def best(self, logits) -> int:
        """The most likely token the grammar allows among all of them."""
        import llama_cpp
        import numpy as np

        n = len(logits)
        cands = (llama_cpp.llama_token_data * n)()
        view = np.ctypeslib.as_array(cands)
        view["id"] = np.arange(n, dtype=np.int32)
        view["logit"] = logits
        arr = llama_cpp.llama_token_data_array(data=cands, size=n, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(self.sampler, ctypes.byref(arr))
        return int(view["logit"].argmax())
