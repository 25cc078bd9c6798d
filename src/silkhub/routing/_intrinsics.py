"""Two LLVM intrinsics for the Numba kernels: a cache prefetch hint and an atomic add.

**Prefetch.** Each round of the McRAPTOR search scans some 1,500 routes in an order no
hardware prefetcher can guess. A route's fields sit in eight arrays at an index known only
once the route is picked, and on a world-scale network most of those lines are out of the
2 MiB L2. Scanning a route is a chain of loads, each waiting for the one before it, so the
misses used to follow one another. Asking for the lines of the next routes while the current
one is scanned makes them overlap with the work: the query got 8–12 % faster on the routing
benchmark (docs/benchmarks.md). Numba has no prefetch built-in, so this is a small
intrinsic. It emits the hint and reads no element. A prefetch never faults and never changes
what a program computes, even for an address past the end of the array. The kernel asks for
the first trip of every route, and for a route without trips that is one element past the
last trip.

**Atomic add.** With two threads (``Router(threads=2)``) the two shares of a round claim its
routes a chunk at a time from one counter, so that neither waits long for the other however
unevenly the routes' work falls. Numba has no atomics on the CPU, so ``fetch_add`` emits
LLVM's ``atomicrmw add`` (sequentially consistent) on an int64 array element.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["fetch_add", "prefetch"]

_I32 = ir.IntType(32)
_READ, _KEEP_IN_ALL_LEVELS, _DATA_CACHE = 0, 3, 1  # llvm.prefetch's rw, locality, cache type


@intrinsic
def _prefetch(typingctx: Any, array: Any, index: Any) -> Any:
    """Hint that ``array[index]`` (a 1-D array, an integer index) is about to be read."""
    if not (isinstance(array, types.Array) and array.ndim == 1):
        return None
    if not isinstance(index, types.Integer):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array_type, index_type = signature.args
        data = context.make_array(array_type)(context, builder, args[0])
        at = context.cast(builder, args[1], index_type, types.intp)
        pointer = cgutils.get_item_pointer(  # type: ignore[no-untyped-call]
            context, builder, array_type, data, [at], wraparound=False, boundscheck=False
        )
        byte_pointer = builder.bitcast(pointer, ir.IntType(8).as_pointer())
        hint_type = ir.FunctionType(ir.VoidType(), [byte_pointer.type, _I32, _I32, _I32])
        hint = builder.module.declare_intrinsic("llvm.prefetch", [byte_pointer.type], hint_type)
        flags = [ir.Constant(_I32, v) for v in (_READ, _KEEP_IN_ALL_LEVELS, _DATA_CACHE)]
        builder.call(hint, [byte_pointer, *flags])
        return context.get_dummy_value()

    return types.void(array, index), codegen


#: ``prefetch(array, index)`` inside a Numba-compiled function (the intrinsic's first
#: parameter is the typing context Numba passes, not an argument of the call).
prefetch = cast("Callable[[Any, Any], None]", _prefetch)


@intrinsic
def _fetch_add(typingctx: Any, array: Any, index: Any, value: Any) -> Any:
    """Atomically add ``value`` to ``array[index]`` (a 1-D int64 array); the value before."""
    if not (isinstance(array, types.Array) and array.ndim == 1 and array.dtype == types.int64):
        return None
    if not (isinstance(index, types.Integer) and isinstance(value, types.Integer)):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array_type, index_type, value_type = signature.args
        data = context.make_array(array_type)(context, builder, args[0])
        at = context.cast(builder, args[1], index_type, types.intp)
        pointer = cgutils.get_item_pointer(  # type: ignore[no-untyped-call]
            context, builder, array_type, data, [at], wraparound=False, boundscheck=False
        )
        amount = context.cast(builder, args[2], value_type, types.int64)
        return builder.atomic_rmw("add", pointer, amount, "seq_cst")

    return types.int64(array, index, value), codegen


#: ``fetch_add(array, index, value)`` inside a Numba-compiled function: the old value.
fetch_add = cast("Callable[[Any, Any, Any], int]", _fetch_add)
