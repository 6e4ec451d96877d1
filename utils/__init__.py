"""The library shared by pages, exercises, the runner and the tests."""
