"""The answer pipeline: one typed context, a list of small named steps."""

from govai.pipeline.context import Context
from govai.pipeline.runner import Pipeline
from govai.pipeline.step import Step, steps

__all__ = ["Context", "Pipeline", "Step", "steps"]
