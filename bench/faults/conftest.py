def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "faults: kills workers and drops connections on the production profile (AGORA_FAULT_TESTS=1)",
    )
