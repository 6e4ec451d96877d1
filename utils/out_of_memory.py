"""Whether an error means memory ran out. Kept free of heavy imports: the server imports it (through
utils.runner) before its first page, when torch must not load yet (see streamlit_app.py)."""


def is_out_of_memory(err: BaseException) -> bool:
    """Python's MemoryError, or torch's allocator failing (a RuntimeError, not a MemoryError)."""
    return isinstance(err, MemoryError) or (
        isinstance(err, RuntimeError) and "can't allocate memory" in str(err))


__all__ = ["is_out_of_memory"]
