"""Real servers for the tests, started on 127.0.0.1 on a free port in a temporary folder
(one module per server). A server whose program this machine lacks makes its tests skip with
a message naming the script that installs it (scripts/install-*.sh, run by `make test`)."""
