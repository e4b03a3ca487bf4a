from opsgate.rules.delivery.circuit import CircuitBreaker


def breaker() -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, open_s=10.0)


def test_circuit_opens_after_consecutive_failures():
    circuit = breaker()
    for _ in range(3):
        circuit.record_failure("odoo", now=0.0)

    assert circuit.state("odoo", now=1.0) == "open"
    assert circuit.allow("odoo", now=1.0) is False
    assert circuit.blocked(now=1.0) == ["odoo"]


def test_a_success_resets_the_failure_count():
    circuit = breaker()
    circuit.record_failure("odoo", now=0.0)
    circuit.record_failure("odoo", now=0.0)
    circuit.record_success("odoo")
    circuit.record_failure("odoo", now=0.0)

    assert circuit.state("odoo", now=0.0) == "closed"


def test_half_open_circuit_lets_exactly_one_probe_through():
    circuit = breaker()
    for _ in range(3):
        circuit.record_failure("odoo", now=0.0)

    assert circuit.state("odoo", now=11.0) == "half_open"
    assert circuit.allow("odoo", now=11.0) is True
    assert circuit.allow("odoo", now=11.0) is False


def test_successful_probe_closes_the_circuit():
    circuit = breaker()
    for _ in range(3):
        circuit.record_failure("odoo", now=0.0)
    circuit.allow("odoo", now=11.0)

    circuit.record_success("odoo")

    assert circuit.state("odoo", now=11.0) == "closed"


def test_failed_probe_opens_the_circuit_again():
    circuit = breaker()
    for _ in range(3):
        circuit.record_failure("odoo", now=0.0)
    circuit.allow("odoo", now=11.0)

    circuit.record_failure("odoo", now=11.0)

    assert circuit.state("odoo", now=12.0) == "open"
    assert circuit.reopens_at("odoo", now=12.0) == 21.0


def test_other_targets_are_not_affected():
    circuit = breaker()
    for _ in range(3):
        circuit.record_failure("odoo", now=0.0)

    assert circuit.allow("hubspot", now=1.0) is True
