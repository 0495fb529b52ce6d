"""The labelled call corpus: hand-written phrase pools (zh, en) and the generator that assembles calls.

Every pool has a *train* and a *test* half written separately (different wording, not the same
template with other fillers), and the two halves of the corpus also use different dialogue
structures, so the held-out set measures generalisation rather than template spotting.
``python -m qa_service.classifiers.corpus.generate`` rewrites ``qa_service/classifiers/data/``.
"""
