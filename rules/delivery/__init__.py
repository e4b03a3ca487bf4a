"""Delivery: the outbox, its workers, retries, circuits, dead letters and replay.

outbox.enqueue ──> delivery rows ──> worker.run_workers
                                      ├─ outbox.claim (leases)
                                      ├─ attempts.attempt (timeout, verify)
                                      ├─ policy.RetryPolicy / circuit.CircuitBreaker
                                      └─ outcomes.record_outcomes (attempts,
                                         dead letters, incidents, audit)
replay.replay_dead_letters / retry_delivery  (people and the gate)
"""
