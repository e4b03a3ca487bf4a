"""The daily summary: the day's facts from the store, told as a short narrative.

gather_day_facts → render_template            (always)
                 → narrate_with_model → verify_narrative (when a model is set;
                                             a narrative that disagrees is
                                             discarded for the template)
post_summary (Slack-compatible webhook, with retries)
SummarySchedule (when `opsgate run` sends it)
"""
