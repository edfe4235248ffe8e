"""Settings: `base` reads the environment; `test` is for the test suite."""
