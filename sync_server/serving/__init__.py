"""What serves: the published repository over HTTP. Never imports the publishing package and
never opens a key (tests/test_server_split.py checks both in a real server process)."""
