"""Replica news sites on loopback: RFE/RL-style Pangea, npr.org-style and two NPR member
stations (Brightspot "ps-*"), served through an HTTP proxy so crawls and tests need no internet.

    from tests.replica.server import ReplicaServer
    from tests.replica import content   # ground truth: articles(epoch), page(host, path, epoch), ...

All prose is original fiction written for the replica; hosts use the reserved .test TLD.
"""
