"""The opening-day bench's referee (bench/opening.py): the most calls in any sliding window, as the platform
counts them, not in windows aligned on the clock (which would hide a burst across a boundary)."""

from bench.opening import peak


def test_a_burst_across_a_second_boundary_is_counted_whole():
    calls = [0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]  # aligned seconds would see 4 + 4
    assert peak(calls, 1.0) == 8
    assert peak([0.0, 1.0, 2.0], 1.0) == 1  # a window of one second holds calls less than one second apart
    assert peak([t * 0.05 for t in range(1200)], 60.0) == 1200
    assert peak([], 60.0) == 0
