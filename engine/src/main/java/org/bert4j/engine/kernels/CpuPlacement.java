package org.bert4j.engine.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Keeps a helper thread off the CPU of the thread it helps (Linux; elsewhere every method does nothing).
 *
 * <p>A thread woken after the machine has been idle for a while is usually placed by Linux's scheduler on the
 * CPU of the thread that woke it (measured on this 2-CPU VM: both threads on one CPU 200 µs after the wake-up in
 * 47 of 60 trials after 50 ms of idling, 14 of 60 after 1 ms). A pool helper woken by a forward pass then shares
 * the caller's core until the load balancer separates them, which takes milliseconds: a 16-token forward ran as
 * slowly on 2 threads as on 1. So a helper that finds itself on the caller's CPU narrows its own affinity to the
 * other CPUs it may use, which moves it at once, and keeps that affinity while it is parked: the next wake-up then
 * puts it straight on another CPU than that caller's, instead of on the caller's CPU and then elsewhere (two
 * moves, the first of which waits for the busy caller's CPU). Giving the CPU back before parking made a 16-token
 * forward after 50 ms of idling p50 5.9–9.8 ms against 5.1–6.6 ms keeping it. The narrowing is always computed from
 * the CPUs the helper started with, so it never excludes more than one CPU. The caller, a user's thread, is never
 * touched.
 */
final class CpuPlacement {
    private CpuPlacement() {}

    /** cpu_set_t as glibc defines it: 1024 bits. */
    private static final long MASK_BYTES = 128;

    private static final MethodHandle GET_CPU;
    private static final MethodHandle GET_AFFINITY;
    private static final MethodHandle SET_AFFINITY;

    static {
        MethodHandle getCpu = null;
        MethodHandle getAffinity = null;
        MethodHandle setAffinity = null;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                ValueLayout.OfInt i = ValueLayout.JAVA_INT;
                FunctionDescriptor affinity = FunctionDescriptor.of(i, i, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
                getCpu = linker.downcallHandle(libc.find("sched_getcpu").orElseThrow(), FunctionDescriptor.of(i),
                        Linker.Option.critical(false));
                getAffinity = linker.downcallHandle(libc.find("sched_getaffinity").orElseThrow(), affinity);
                setAffinity = linker.downcallHandle(libc.find("sched_setaffinity").orElseThrow(), affinity);
            } catch (Throwable t) {
                // No placement: the scheduler alone decides, as on any other system.
                getCpu = getAffinity = setAffinity = null;
            }
        }
        GET_CPU = getCpu;
        GET_AFFINITY = getAffinity;
        SET_AFFINITY = setAffinity;
    }

    /** The CPU the calling thread runs on, or −1 where that is unknown. */
    static int currentCpu() {
        if (GET_CPU == null) {
            return -1;
        }
        try {
            return (int) GET_CPU.invokeExact();
        } catch (Throwable t) {
            return -1;
        }
    }

    /** One helper thread's placement; used only by that thread. */
    static final class Helper {
        /** The CPUs the thread may use when it starts, or null where affinity is unavailable. */
        private final long[] allowed;
        private final MemorySegment mask = Arena.ofAuto().allocate(MASK_BYTES);

        /** Reads the calling thread's affinity: call it on the helper thread itself. */
        Helper() {
            allowed = read(mask);
        }

        /** The CPUs the thread started with, as a bit mask (bit c of word c / 64), or null where unknown. */
        long[] allowed() {
            return allowed == null ? null : allowed.clone();
        }

        /**
         * If the calling helper runs on {@code callerCpu}, restricts it to the other CPUs it started with (if any),
         * which moves it off at once.
         */
        void avoid(int callerCpu) {
            if (allowed == null || callerCpu < 0 || callerCpu >= 64 * allowed.length || currentCpu() != callerCpu) {
                return;
            }
            long[] others = allowed.clone();
            others[callerCpu / 64] &= ~(1L << (callerCpu % 64));
            boolean any = false;
            for (long word : others) {
                any |= word != 0;
            }
            if (any) {
                write(others);
            }
        }

        private static long[] read(MemorySegment mask) {
            if (GET_AFFINITY == null) {
                return null;
            }
            try {
                if ((int) GET_AFFINITY.invokeExact(0, MASK_BYTES, mask) != 0) {
                    return null;
                }
            } catch (Throwable t) {
                return null;
            }
            return mask.toArray(ValueLayout.JAVA_LONG);
        }

        private void write(long[] cpus) {
            MemorySegment.copy(cpus, 0, mask, ValueLayout.JAVA_LONG, 0, cpus.length);
            try {
                // A failure (an affinity the system refuses) leaves the thread where the scheduler put it.
                int unused = (int) SET_AFFINITY.invokeExact(0, MASK_BYTES, mask);
            } catch (Throwable t) {
                // as above
            }
        }
    }
}
