import streamlit as st

from utils.widgets import chapter_header, exercise

STEM = "part3_optimization"
chapter_header(STEM, "distributed")

st.markdown(
    r"""
When one machine is too slow, split the work. In **data parallelism** every worker (a *rank*)
holds a full copy of the model and trains on its own slice of each batch; before each step the
ranks average their gradients, so every copy takes the same step and the copies never drift
apart. The averaging is a **collective operation**, built from the simplest thing processes can
do: send a tensor to one other process, and receive one.

`torch.distributed` gives you `dist.send(tensor, dst)` and `dist.recv(tensor, src)`. Both
block: `recv` until the message arrives (it writes it into `tensor`), and with gloo, `send`
until the other rank receives it. Every rank runs the *same* function, knowing its own `rank`
and the `world_size`; the code branches on the rank. That is also how it goes wrong: if two
ranks both wait to receive, or both send first, each waits for the other forever. That is a
**deadlock**.

The reference curriculum needs several GPUs for this. Here it runs on your CPU with the **gloo**
backend, so any laptop (or Colab) can do it.
"""
)
st.info(
    "How your code is checked: in this page's editor, each rank is a thread and `dist.send` / "
    "`dist.recv` are replaced by in-memory queues with the same blocking behaviour (the sandbox "
    "allows no processes or sockets); a rank that waits 5 s for a message that never comes is "
    "reported as a deadlock. Locally and in Colab the same checks also start 3 real processes "
    "with a gloo process group on 127.0.0.1 and run your function there.",
    icon="🧪",
)
exercise(f"{STEM}.broadcast")
st.markdown(
    r"""
**Reduce** is broadcast in reverse: everyone sends to one rank, which combines what it
receives. Combining is usually a sum or a mean, and works elementwise, so tensors of any shape
reduce the same way.
"""
)
exercise(f"{STEM}.reduce")
exercise(f"{STEM}.all_reduce")

st.header("Data-parallel training")
st.markdown(
    r"""
With a loss that is a mean over the batch, the gradient on the whole batch is the mean of the
gradients on equal shards of it:

$$
\nabla \frac{1}{B}\sum_{i=1}^{B} \ell_i = \frac{1}{n} \sum_{r=1}^{n}
\nabla \frac{1}{B/n} \sum_{i \in \text{shard } r} \ell_i .
$$

So each rank computes the gradient on its shard, an `all_reduce` with `op="mean"` averages
them, and every rank takes the same optimizer step: $n$ ranks together compute exactly what one
process would on the whole batch, in about $1/n$ of the time.
"""
)
exercise(f"{STEM}.data_parallel_step")
