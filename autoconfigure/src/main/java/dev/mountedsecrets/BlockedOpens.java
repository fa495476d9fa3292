package dev.mountedsecrets;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;

/**
 * Wakes a thread blocked in {@code open()} of a FIFO that nothing can open any more (renamed
 * over or unlinked), when the JVM lets us: with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}.
 * <p>
 * Such an {@code open()} waits in the kernel for the FIFO's other end, and only a signal ends
 * that wait: Java 17 has no {@code O_NONBLOCK} open and no public way to signal one thread.
 * The JDK's own interruptible I/O signals threads with {@code sun.nio.ch.NativeThread}
 * (a no-op handler installed without {@code SA_RESTART}, so the system call returns
 * {@code EINTR}). The JDK retries an {@code open()} that returned {@code EINTR} with the same
 * <em>path</em>: the retry finds whatever the path holds now, a regular file (opened, then
 * refused as not the file that was checked), nothing ({@code NoSuchFileException}), or a FIFO
 * again, which opening the path's other end releases. So, signalled until it returns, no
 * reader stays stuck after the file system stops holding a FIFO at the path.
 * <p>
 * Without the export, {@code sun.nio.ch} is closed to the application and only the path (and
 * FIFOs renamed inside the same folder) can be opened to release a reader.
 */
final class BlockedOpens {

	private static final @Nullable MethodHandle CURRENT;

	private static final @Nullable MethodHandle SIGNAL;

	static {
		MethodHandle current = null;
		MethodHandle signal = null;
		try {
			Class<?> nativeThread = Class.forName("sun.nio.ch.NativeThread");
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			current = lookup.findStatic(nativeThread, "current", MethodType.methodType(long.class));
			signal = lookup.findStatic(nativeThread, "signal", MethodType.methodType(void.class, long.class));
			long self = (long) current.invokeExact();
			if (self == 0 || self == -1) {
				current = null;
				signal = null;
			}
		}
		catch (Throwable ex) {
			// not exported to the application (the default), or another JDK
			current = null;
			signal = null;
		}
		CURRENT = current;
		SIGNAL = signal;
	}

	private BlockedOpens() {
	}

	/**
	 * Whether a blocked {@code open()} can be woken by a signal.
	 * @return {@code true} when {@code sun.nio.ch} is exported to the application
	 */
	static boolean signalsAvailable() {
		return SIGNAL != null;
	}

	/**
	 * The native id of the calling thread, to signal it later.
	 * @return the id, {@code 0} when signals are not available
	 */
	static long currentThread() {
		MethodHandle current = CURRENT;
		if (current == null) {
			return 0;
		}
		try {
			return (long) current.invokeExact();
		}
		catch (Throwable ex) {
			return 0;
		}
	}

	/**
	 * Signal a thread, which makes a blocking system call return {@code EINTR} (the JDK
	 * retries {@code open()}, by path). The caller guarantees that the thread is alive and
	 * inside the read it was taken for.
	 * @param thread an id from {@link #currentThread()}; {@code 0} does nothing
	 */
	static void signal(long thread) {
		MethodHandle signal = SIGNAL;
		if (signal == null || thread == 0) {
			return;
		}
		try {
			signal.invokeExact(thread);
		}
		catch (Throwable ex) {
			// the reader stays parked until the path is released
		}
	}

}
