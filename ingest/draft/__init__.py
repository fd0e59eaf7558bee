"""`argraph draft`: a drafting assistant that proposes a new paper's annotations.

It reads a paper's text and drafts, in the project's own format, its sections and sentences,
statistics, citations (linked to the parsed reference list and footnotes), causal link
candidates, claim and policy candidates and entities, every quote anchored by
`ingest.anchoring`. Drafts live in DIR/draft/*.draft.yaml, which the build never reads;
a person reviews them and promotes items into a corpus with `accept`. `compare` scores a draft
against a hand encoding. The cue lists are data files beside these modules.
"""
