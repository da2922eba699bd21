"""Assurance: evaluation suites on Inspect, stored runs, the release gate, the assurance report,
the ATRS record, the AI Playbook self-assessment and the asset inventory (docs/assurance.md).

Modules load what they need when they are used; importing this package is cheap (the profile
schema imports ``govai.assurance.schema``).
"""
