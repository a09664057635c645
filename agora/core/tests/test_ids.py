from __future__ import annotations

import time

import pytest

from agora.core import ids


@pytest.fixture(autouse=True)
def _generator_on_the_real_clock(monkeypatch):
    # A test elsewhere in the run may have frozen time.time() in the future; the generator then keeps
    # its ids there (it never goes backwards). Start these tests from the real clock, and restore
    # the generator's state afterwards so later ids still only grow.
    monkeypatch.setitem(ids._state, "last_ms", 0)
    monkeypatch.setitem(ids._state, "seq", 0)


def test_ids_grow_and_never_repeat():
    # given many ids made as fast as possible (more than 4096 may land in one millisecond)
    made = [ids.new_id() for _ in range(20_000)]
    # then each is larger than the one before, so no two are equal
    assert all(a < b for a, b in zip(made, made[1:], strict=False))
    assert len(set(made)) == len(made)


def test_ids_fit_in_a_signed_64_bit_column():
    assert 0 < ids.new_id() < 2**63


def test_id_time_round_trips_to_the_millisecond():
    before = time.time()
    made = ids.new_id()
    after = time.time()
    assert before - 0.002 <= ids.id_time(made) <= after + 0.002


def test_id_at_is_a_lower_bound_for_ids_made_after():
    moment = time.time()
    made = ids.new_id()
    assert ids.id_at(moment - 0.001) <= made
    assert ids.id_at(moment + 60) > made
    assert abs(ids.id_time(ids.id_at(moment)) - moment) < 0.001


def test_a_forked_worker_draws_its_own_process_bits(monkeypatch):
    # given ids made in this process
    ids.new_id()
    parent_pid = ids._state["pid"]
    # when the process id changes (as in a granian or Celery worker forked from this one)
    monkeypatch.setattr(ids.os, "getpid", lambda: parent_pid + 1)
    monkeypatch.setattr(
        ids.random, "SystemRandom", lambda: type("R", (), {"getrandbits": lambda self, n: 5})()
    )
    made = ids.new_id()
    # then the new process's ids carry freshly drawn process bits
    assert ids._state["pid"] == parent_pid + 1
    assert (made >> 12) & 0x3FF == 5
