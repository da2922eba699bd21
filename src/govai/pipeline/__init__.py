"""The answer pipeline: one typed context, a list of small named steps."""

from govai.pipeline.context import Citation, Classification, Context, Outcome, Source
from govai.pipeline.runner import Pipeline
from govai.pipeline.step import Step, steps

__all__ = ["Citation", "Classification", "Context", "Outcome", "Pipeline", "Source", "Step", "steps"]
