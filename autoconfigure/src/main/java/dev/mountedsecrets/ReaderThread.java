package dev.mountedsecrets;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A thread taken from a pool before its work is known, so that it is awake when the work
 * comes: waking a parked thread costs here as much as opening and reading a few small files
 * (50 to 100 µs measured), and a folder read hands its reads over once the folder is listed
 * and checked. The thread spins for up to a quarter of a millisecond (the listing and checks
 * of some 30 files) where there is more than one processor (with one, spinning would only
 * take time from the thread that lists), then parks. It spins yielding the processor
 * ({@link Thread#yield()}, not a busy {@code onSpinWait}): with two processors, two threads
 * busy-spinning kept the JIT compiler's threads from running, and the first seconds of
 * folder reads ran up to ten times slower than once compiled (2 to 3 times with yields).
 * Close it if no work is handed to it, so that it goes back to the pool.
 */
final class ReaderThread implements AutoCloseable {

	/** How long a thread spins waiting before it parks. */
	static final Duration SPIN = Duration.ofNanos(250_000);

	/** From how many entries a folder is read on two threads. */
	static final int SPLIT_FROM = 32;

	private static final Duration PARK = Duration.ofMillis(10);

	private static final boolean SPINS = Runtime.getRuntime().availableProcessors() > 1;

	private static final Runnable NOTHING = () -> {
	};

	private volatile @Nullable Runnable work;

	private volatile @Nullable Thread thread;

	private final Future<?> future;

	/**
	 * Take a thread from the pool and let it wait for its work.
	 * @param pool the pool
	 */
	ReaderThread(ExecutorService pool) {
		this.future = pool.submit(this::waitAndRun);
	}

	private void waitAndRun() {
		this.thread = Thread.currentThread();
		long spinUntil = System.nanoTime() + (SPINS ? SPIN.toNanos() : 0);
		boolean interrupted = false;
		Runnable handed;
		while ((handed = this.work) == null) {
			if (System.nanoTime() < spinUntil) {
				Thread.yield();
			}
			else {
				LockSupport.parkNanos(this, PARK.toNanos());
			}
			// Work handed over always runs: an interrupt while waiting is kept for after it.
			interrupted |= Thread.interrupted();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		handed.run();
	}

	/**
	 * Hand the thread its work. Only the first work handed runs.
	 * @param work what to run
	 * @return the thread's future: done when the work is, cancelled to interrupt it
	 */
	Future<?> run(Runnable work) {
		this.work = work;
		wake();
		return this.future;
	}

	/**
	 * Let the thread go back to the pool if no work was handed to it.
	 */
	@Override
	public void close() {
		if (this.work == null) {
			this.work = NOTHING;
			wake();
		}
	}

	private void wake() {
		Thread waiting = this.thread;
		if (waiting != null) {
			LockSupport.unpark(waiting);
		}
	}

	/**
	 * How many of a folder's files to hand to the first reader thread as they are checked:
	 * all of them, or, from {@link #SPLIT_FROM} entries where there is more than one
	 * processor, the first 70%; the rest are read on a second thread once every file is
	 * checked. A file takes about twice as long to open and read as to check, so the two
	 * threads end at about the same time.
	 * @param entries how many entries the folder lists
	 * @return how many files the first reader thread takes
	 */
	static int streamed(int entries) {
		return (SPINS && entries >= SPLIT_FROM) ? entries * 7 / 10 : entries;
	}

	/**
	 * Wait until a condition holds: spinning for up to {@link #SPIN} where there is more than
	 * one processor, then parked, for {@link #PARK} at most at a time, with the waiting thread
	 * published so that whoever makes the condition hold can {@link #wake} it. An interrupt
	 * while waiting is kept for after.
	 * @param ready the condition
	 * @param parking told the thread before it parks, and {@code null} after
	 */
	static void waitUntil(BooleanSupplier ready, Consumer<@Nullable Thread> parking) {
		long spinUntil = System.nanoTime() + (SPINS ? SPIN.toNanos() : 0);
		boolean interrupted = false;
		while (!ready.getAsBoolean()) {
			if (System.nanoTime() < spinUntil) {
				Thread.yield();
			}
			else {
				parking.accept(Thread.currentThread());
				if (!ready.getAsBoolean()) {
					LockSupport.parkNanos(ready, PARK.toNanos());
				}
				parking.accept(null);
			}
			interrupted |= Thread.interrupted();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wake a thread parked in {@link #waitUntil}, if any.
	 * @param parked the thread, {@code null} if none is parked
	 */
	static void wake(@Nullable Thread parked) {
		if (parked != null) {
			LockSupport.unpark(parked);
		}
	}

	/**
	 * Spin while a short task runs on another thread, up to {@link #SPIN} after it was
	 * handed over, where there is more than one processor: the caller has nothing else to
	 * run, and a parked caller costs a wake-up when the task ends.
	 * @param task the task
	 * @param handedAt when it was handed over ({@link System#nanoTime()})
	 */
	static void spinWhileRunning(Future<?> task, long handedAt) {
		long until = handedAt + (SPINS ? SPIN.toNanos() : 0);
		while (!task.isDone() && System.nanoTime() < until) {
			Thread.yield();
		}
	}

}
