from utils.widgets import chapter_overview

chapter_overview(
    "part1_ray_tracing",
    introduction=r"""
In this chapter you write a small renderer. You start with one ray and one line segment, and
finish with a thousand-triangle bunny, turned, rendered and lit by code you wrote.

Ray tracing is a good first project for tensor programming because the slow way is obvious (a
loop over pixels, and inside it a loop over triangles) and the fast way is not. Every step below
asks you to replace a loop by **one batched operation**: broadcasting, `einops`, batched linear
algebra, boolean masks and reductions. These are the same moves you will make for convolutions,
attention and optimizers in the later chapters.
""",
    objectives="""
- Describe rays and segments as tensors, and decide whether they meet by solving a linear system.
- Batch a computation over two independent axes with broadcasting or `einops.repeat`, and reduce
  over one of them with `any`, `all` or `min`.
- Handle the awkward cases (parallel rays, singular matrices, hits behind the camera) with masks
  rather than `if` statements.
- Tell a view from a copy, and know when writing into a tensor changes another one.
- Render a mesh, rotate it with a matrix, and shade it with Lambert's law.
""",
)
