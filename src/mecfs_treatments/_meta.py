"""The library's version and its notice, apart from everything else so that any module may import them."""

__version__ = "0.1.0"

NOT_MEDICAL_ADVICE = (
    "Not medical advice: this catalogue reports what its sources say, for information only. "
    "Discuss any treatment with a clinician."
)
"""The one-line notice shown by the command line and the documentation."""
