#!/usr/bin/env python3
"""An independent check of the gateway's Merkle log, written from RFC 9162 alone (hashlib only).

Reads a JSON file of what the gateway's log API answered: every leaf's fields, the signed tree
head's size and root, and consistency and inclusion proofs. Recomputes every leaf hash from the
leaf's fields (the BlocklistLeaf struct of the README), the root of the whole tree, and every proof
from the leaves; prints "ok" and exits 0 when all equal what the gateway said, else names the first
difference and exits 1.
"""
import hashlib
import json
import struct
import sys

OPERATIONS = {"ADD": 0, "UPDATE": 1, "REMOVE": 2}


def leaf_bytes(leaf):
    key = leaf["key"].encode("utf-8")
    directive = leaf["directive"].encode("utf-8")
    return (struct.pack(">BQB", 0, leaf["serial"], OPERATIONS[leaf["operation"]])
            + struct.pack(">H", len(key)) + key
            + struct.pack(">H", len(directive)) + directive
            + bytes.fromhex(leaf["documentSha256"]))


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes):
    """MTH(D[n]) of RFC 9162 §2.1.1 over leaf hashes."""
    if len(hashes) == 0:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = split(len(hashes))
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


def path(m, hashes):
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1."""
    n = len(hashes)
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return path(m, hashes[:k]) + [mth(hashes[k:])]
    return path(m - k, hashes[k:]) + [mth(hashes[:k])]


def subproof(m, hashes, whole):
    """SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1."""
    n = len(hashes)
    if m == n:
        return [] if whole else [mth(hashes)]
    k = split(n)
    if m <= k:
        return subproof(m, hashes[:k], whole) + [mth(hashes[k:])]
    return subproof(m - k, hashes[k:], False) + [mth(hashes[:k])]


def proof(m, hashes):
    return [] if m == 0 or m == len(hashes) else subproof(m, hashes, True)


def fail(message):
    print(message)
    sys.exit(1)


def main(file_name):
    with open(file_name, encoding="utf-8") as f:
        answered = json.load(f)
    leaves = answered["leaves"]
    hashes = []
    for expected_serial, leaf in enumerate(leaves, start=1):
        if leaf["serial"] != expected_serial:
            fail("leaf %d has serial %d" % (expected_serial, leaf["serial"]))
        mine = leaf_hash(leaf_bytes(leaf))
        if mine.hex() != leaf["leafHash"]:
            fail("leaf %d: hash %s, the gateway said %s" % (leaf["serial"], mine.hex(), leaf["leafHash"]))
        hashes.append(mine)
    head = answered["sth"]
    if head["treeSize"] != len(hashes):
        fail("the tree head's size %d is not the %d leaves" % (head["treeSize"], len(hashes)))
    if mth(hashes).hex() != head["rootHash"]:
        fail("root %s, the tree head says %s" % (mth(hashes).hex(), head["rootHash"]))
    for c in answered["consistency"]:
        mine = [h.hex() for h in proof(c["first"], hashes[:c["second"]])]
        if mine != c["proof"]:
            fail("consistency %d to %d: %s, the gateway said %s" % (c["first"], c["second"], mine, c["proof"]))
    for i in answered["inclusion"]:
        tree = hashes[:i["treeSize"]]
        mine = [h.hex() for h in path(i["serial"] - 1, tree)]
        if mine != i["proof"] or hashes[i["serial"] - 1].hex() != i["leafHash"]:
            fail("inclusion of %d in %d: %s, the gateway said %s" % (i["serial"], i["treeSize"], mine, i["proof"]))
    print("ok %d leaves, %d consistency and %d inclusion proofs"
          % (len(hashes), len(answered["consistency"]), len(answered["inclusion"])))


if __name__ == "__main__":
    main(sys.argv[1])
